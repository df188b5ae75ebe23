/**
 * The quote editor's form: one form in fieldsets (type, candidate, training, schedule, hours,
 * costs, POEI employer), each input named by its dotted JSON path so every error and warning is
 * shown under the input it names. Works without JavaScript; htmx only refreshes the summary.
 */
import type { ComponentChildren } from 'preact';
import type { FieldError } from '../../../http/problem.js';
import { CsrfField } from '../../../http/views/layout.js';
import { fieldId } from '../../../http/views/form.js';
import { SummaryRegion, type EditorTotals } from './editor-summary.js';
import { CONTRACT_LABELS, type FormValues, type OtherLineRow, type ScheduleRow } from './form-input.js';
import { CONTRACT_TYPES, MAX_OTHER_LINES } from '../rules/quote-schema.js';
import { MAX_SCHEDULE_RANGES, weekdayName } from '../rules/schedule.js';

/** Blocking errors and non-blocking warnings, each naming a dotted field. */
export interface Feedback {
  errors: FieldError[];
  warnings: FieldError[];
}

const messagesFor = (list: FieldError[], field: string) => list.filter((e) => e.field === field).map((e) => e.message);

/** Error and warning lines of one field, and the ids the input must be described by. */
function feedbackOf(fb: Feedback, field: string, helpId?: string) {
  const id = fieldId(field);
  const errors = messagesFor(fb.errors, field);
  const warnings = messagesFor(fb.warnings, field);
  const describedBy = [helpId, errors.length ? `${id}-erreur` : '', warnings.length ? `${id}-avertissement` : ''].filter(Boolean).join(' ') || undefined;
  const node = (
    <>
      {errors.length ? <div id={`${id}-erreur`} class="invalid-feedback d-block">{errors.map((m) => <span class="d-block">{m}</span>)}</div> : null}
      {warnings.length ? <div id={`${id}-avertissement`} class="form-text text-warning-emphasis">{warnings.map((m) => <span class="d-block">Avertissement : {m}</span>)}</div> : null}
    </>
  );
  return { invalid: errors.length > 0, describedBy, node };
}

interface InputProps {
  name: string;
  label: ComponentChildren;
  value: string;
  fb: Feedback;
  type?: string;
  help?: string;
  maxLength?: number;
  inputMode?: 'decimal' | 'numeric' | 'text';
  autocomplete?: string;
  col?: string;
  hiddenLabel?: boolean;
}

function Input(p: InputProps) {
  const id = fieldId(p.name);
  const helpId = p.help ? `${id}-aide` : undefined;
  const f = feedbackOf(p.fb, p.name, helpId);
  return (
    <div class={p.col ?? 'col-md-6'}>
      <label class={p.hiddenLabel ? 'visually-hidden' : 'form-label'} for={id}>{p.label}</label>
      <input
        class={`form-control${f.invalid ? ' is-invalid' : ''}`}
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value}
        maxLength={p.maxLength}
        inputMode={p.inputMode}
        autocomplete={p.autocomplete ?? 'off'}
        aria-invalid={f.invalid ? 'true' : undefined}
        aria-describedby={f.describedBy}
      />
      {p.help ? <div id={helpId} class="form-text">{p.help}</div> : null}
      {f.node}
    </div>
  );
}

/** Errors naming a whole section or list (e.g. "training.schedule"), shown at its top. */
function SectionMessages({ fb, field }: { fb: Feedback; field: string }) {
  return feedbackOf(fb, field).node;
}

function Section({ id, legend, children, intro }: { id: string; legend: string; intro?: ComponentChildren; children: ComponentChildren }) {
  return (
    <fieldset class="border rounded p-3 mb-4" id={id}>
      <legend class="h5 float-none w-auto px-2 mb-2">{legend}</legend>
      {intro ? <p class="small text-body-secondary">{intro}</p> : null}
      {children}
    </fieldset>
  );
}

function TypeChoice({ value, fb }: { value: string; fb: Feedback }) {
  const f = feedbackOf(fb, 'type');
  return (
    <fieldset class="mb-4" aria-describedby={f.describedBy}>
      <legend class="h5">Type de devis</legend>
      {(['AIF', 'POEI'] as const).map((t) => (
        <div class="form-check form-check-inline">
          <input class={`form-check-input${f.invalid ? ' is-invalid' : ''}`} type="radio" name="type" id={fieldId(`type.${t}`)} value={t} checked={value === t} />
          <label class="form-check-label" for={fieldId(`type.${t}`)}>
            {t === 'AIF' ? 'AIF (aide individuelle à la formation)' : 'POEI (préparation opérationnelle à l’emploi individuelle)'}
          </label>
        </div>
      ))}
      {f.node}
    </fieldset>
  );
}

/** The filled rows and blank ones to add more: at least `min` rows, never more than the schema accepts. */
function rowsToShow<T>(filled: T[], blank: T, min: number, max: number): T[] {
  const count = Math.max(filled.length, Math.min(max, Math.max(min, filled.length + 2)));
  return [...filled, ...Array.from({ length: count - filled.length }, () => blank)];
}

function ScheduleCell({ name, label, fb, children }: { name: string; label: string; fb: Feedback; children: (a: { id: string; invalid: boolean; describedBy?: string }) => ComponentChildren }) {
  const id = fieldId(name);
  const f = feedbackOf(fb, name);
  return (
    <td>
      <label class="visually-hidden" for={id}>{label}</label>
      {children({ id, invalid: f.invalid, describedBy: f.describedBy })}
      {f.node}
    </td>
  );
}

function ScheduleRows({ rows, fb }: { rows: ScheduleRow[]; fb: Feedback }) {
  const shown = rowsToShow(rows, { weekday: '', from: '', to: '' }, 6, MAX_SCHEDULE_RANGES);
  const sectionIds = feedbackOf(fb, 'training.schedule').describedBy;
  return (
    <table class="table table-sm align-top mb-0">
      <caption class="caption-top">Plages horaires de chaque semaine ({MAX_SCHEDULE_RANGES} au plus, deux par jour). Les lignes vides sont ignorées.</caption>
      <thead>
        <tr><th scope="col">Plage</th><th scope="col">Jour</th><th scope="col">Début</th><th scope="col">Fin</th></tr>
      </thead>
      <tbody>
        {shown.map((r, i) => {
          const p = `training.schedule.${i}`;
          return (
            <tr>
              <th scope="row">{i + 1}</th>
              <ScheduleCell name={`${p}.weekday`} label={`Jour de la plage ${i + 1}`} fb={fb}>
                {(a) => (
                  <select class={`form-select${a.invalid ? ' is-invalid' : ''}`} id={a.id} name={`${p}.weekday`} aria-invalid={a.invalid ? 'true' : undefined} aria-describedby={[i === 0 ? sectionIds : '', a.describedBy ?? ''].filter(Boolean).join(' ') || undefined}>
                    <option value="" selected={r.weekday === ''}>—</option>
                    {[1, 2, 3, 4, 5, 6, 7].map((d) => <option value={String(d)} selected={r.weekday === String(d)}>{weekdayName(d)}</option>)}
                  </select>
                )}
              </ScheduleCell>
              {(['from', 'to'] as const).map((k) => (
                <ScheduleCell name={`${p}.${k}`} label={`${k === 'from' ? 'Heure de début' : 'Heure de fin'} de la plage ${i + 1}`} fb={fb}>
                  {(a) => <input class={`form-control${a.invalid ? ' is-invalid' : ''}`} type="time" id={a.id} name={`${p}.${k}`} value={r[k]} aria-invalid={a.invalid ? 'true' : undefined} aria-describedby={a.describedBy} />}
                </ScheduleCell>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function OtherLines({ rows, fb }: { rows: OtherLineRow[]; fb: Feedback }) {
  const shown = rowsToShow(rows, { label: '', amount: '' }, 3, MAX_OTHER_LINES);
  return (
    <table class="table table-sm align-top mb-0">
      <caption class="caption-top">Autres frais (inscription, matériel, examen…) : affichés au candidat, non financés. Les lignes vides sont ignorées.</caption>
      <thead>
        <tr><th scope="col">Ligne</th><th scope="col">Libellé</th><th scope="col">Montant (€)</th></tr>
      </thead>
      <tbody>
        {shown.map((r, i) => {
          const p = `costs.otherLines.${i}`;
          return (
            <tr>
              <th scope="row">{i + 1}</th>
              <td><Input col="" name={`${p}.label`} label={`Libellé des autres frais, ligne ${i + 1}`} hiddenLabel value={r.label} fb={fb} maxLength={100} /></td>
              <td><Input col="" name={`${p}.amount`} label={`Montant des autres frais, ligne ${i + 1}`} hiddenLabel value={r.amount} fb={fb} inputMode="decimal" /></td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function PoeiSection({ v, fb }: { v: FormValues['poei']; fb: Feedback }) {
  const f = feedbackOf(fb, 'poei.contractType');
  return (
    <Section id="section-poei" legend="Volet POEI (employeur)" intro="Pour une POEI seulement : ces champs sont ignorés pour une AIF.">
      <SectionMessages fb={fb} field="poei" />
      <div class="row g-3">
        <Input name="poei.employerSiret" label="SIRET de l’employeur" value={v.employerSiret} fb={fb} inputMode="numeric" help="14 chiffres, espaces acceptés." maxLength={30} />
        <Input name="poei.jobOfferReference" label="Référence de l’offre d’emploi" value={v.jobOfferReference} fb={fb} help="Exemple : 123ABCD." maxLength={100} />
        <div class="col-md-6">
          <label class="form-label" for="poei-contractType">Contrat promis</label>
          <select class={`form-select${f.invalid ? ' is-invalid' : ''}`} id="poei-contractType" name="poei.contractType" aria-invalid={f.invalid ? 'true' : undefined} aria-describedby={f.describedBy}>
            <option value="" selected={v.contractType === ''}>Choisissez…</option>
            {CONTRACT_TYPES.map((c) => <option value={c} selected={v.contractType === c}>{CONTRACT_LABELS[c]}</option>)}
          </select>
          {f.node}
        </div>
        <Input name="poei.contractMonths" label="Durée du contrat (mois)" value={v.contractMonths} fb={fb} inputMode="numeric" help="Sauf CDI. Pour l’intérim : les mois de missions dans les 9 mois suivant la formation." />
        <Input col="col-md-4" name="poei.tutor.lastName" label="Nom du tuteur" value={v.tutor.lastName} fb={fb} maxLength={100} />
        <Input col="col-md-4" name="poei.tutor.firstName" label="Prénom du tuteur" value={v.tutor.firstName} fb={fb} maxLength={100} />
        <Input col="col-md-4" name="poei.tutor.jobTitle" label="Fonction du tuteur" value={v.tutor.jobTitle} fb={fb} maxLength={100} />
      </div>
    </Section>
  );
}

export interface EditorFormProps {
  action: string;
  templateId?: string;
  csrf: string;
  values: FormValues;
  fb: Feedback;
  totals: EditorTotals;
}

export function EditorForm({ action, templateId, csrf, values: v, fb, totals }: EditorFormProps) {
  const t = v.training;
  return (
    <form method="post" action={action} id="formulaire-devis" novalidate>
      <CsrfField token={csrf} />
      {templateId ? <input type="hidden" name="modele" value={templateId} /> : null}
      <p class="small">
        Pour enregistrer le brouillon, il faut le candidat, l’intitulé, les dates, les heures et les coûts ; le reste peut être complété
        avant la soumission. Les dates se saisissent au format jj/mm/aaaa, les montants et les heures avec une virgule (12,50).
      </p>
      <TypeChoice value={v.type} fb={fb} />
      <Section id="section-candidat" legend="Candidat" intro="Les trois informations doivent correspondre à la fiche du candidat inscrit par son conseiller.">
        <SectionMessages fb={fb} field="candidate" />
        <div class="row g-3">
          <Input col="col-md-4" name="candidate.identifier" label="Identifiant France Travail" value={v.candidate.identifier} fb={fb} help="7 chiffres et une lettre (exemple : 1234567A)." maxLength={20} />
          <Input col="col-md-4" name="candidate.lastName" label="Nom" value={v.candidate.lastName} fb={fb} maxLength={100} />
          <Input col="col-md-4" name="candidate.birthDate" label="Date de naissance" type="date" value={v.candidate.birthDate} fb={fb} />
        </div>
      </Section>
      <Section id="section-formation" legend="Formation">
        <div class="row g-3">
          <Input col="col-12" name="training.title" label="Intitulé de la formation" value={t.title} fb={fb} maxLength={200} />
          <Input col="col-md-4" name="training.carifOrefSession" label="Numéro de session Carif-Oref" value={t.carifOrefSession} fb={fb} help="Recopié de l’offre publiée (exemple : SE_0000123456)." maxLength={100} />
          <Input col="col-md-4" name="training.formacode" label="Formacode" value={t.formacode} fb={fb} inputMode="numeric" help="5 chiffres (exemple : 22252)." maxLength={100} />
          <Input col="col-md-4" name="training.certification" label="Code de certification" value={t.certification} fb={fb} help="RNCP ou RS suivi de 3 à 6 chiffres ; vide si la formation n’est pas certifiante." maxLength={100} />
          <Input name="training.startDate" label="Date de début" type="date" value={t.startDate} fb={fb} />
          <Input name="training.endDate" label="Date de fin" type="date" value={t.endDate} fb={fb} />
          <Input col="col-md-8" name="training.place" label="Lieu de formation (adresse)" value={t.place} fb={fb} maxLength={500} autocomplete="street-address" />
          <div class="col-md-4 d-flex align-items-end">
            <div class="form-check mb-2">
              <input class="form-check-input" type="checkbox" id="training-distanceLearning" name="training.distanceLearning" value="oui" checked={t.distanceLearning} />
              <label class="form-check-label" for="training-distanceLearning">Formation à distance (sans lieu)</label>
            </div>
          </div>
        </div>
      </Section>
      <Section id="section-emploi-du-temps" legend="Emploi du temps hebdomadaire" intro="Les heures prévues en sont calculées entre les dates de début et de fin, jours fériés déduits.">
        <SectionMessages fb={fb} field="training.schedule" />
        <ScheduleRows rows={t.schedule} fb={fb} />
      </Section>
      <Section id="section-heures" legend="Heures" intro="Leur somme doit être égale aux heures prévues par l’emploi du temps.">
        <div class="row g-3">
          <Input name="training.centreHours" label="Heures en centre" value={t.centreHours} fb={fb} inputMode="decimal" />
          <Input name="training.companyHours" label="Heures en entreprise (stage)" value={t.companyHours} fb={fb} inputMode="decimal" />
        </div>
      </Section>
      <Section id="section-couts" legend="Coûts">
        <div class="row g-3 mb-3">
          <Input name="costs.hourlyRate" label="Taux horaire (€ par heure)" value={v.costs.hourlyRate} fb={fb} inputMode="decimal" />
          <Input name="costs.pedagogicalCost" label="Coût pédagogique (€)" value={v.costs.pedagogicalCost} fb={fb} inputMode="decimal" help="Heures (centre + entreprise) × taux horaire, au centime près." />
        </div>
        <SectionMessages fb={fb} field="costs.otherLines" />
        <OtherLines rows={v.costs.otherLines} fb={fb} />
      </Section>
      <PoeiSection v={v.poei} fb={fb} />
      <SummaryRegion totals={totals} live />
      <div class="d-flex gap-2 flex-wrap">
        <button type="submit" name="action" value="enregistrer" class="btn btn-outline-primary">Enregistrer le brouillon</button>
        <button type="submit" name="action" value="soumettre" class="btn btn-primary">Soumettre au candidat</button>
      </div>
      <p class="small mt-2">La soumission enregistre le brouillon puis vérifie toutes les règles. Une fois soumis, le devis n’est plus modifiable.</p>
    </form>
  );
}
