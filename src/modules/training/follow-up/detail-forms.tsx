/**
 * The declaration forms of a training's page (entry, month submission, correction, withdrawal,
 * exit, report). Each works without JavaScript: it posts, then the page comes back either with a
 * notice or with its errors next to the fields. Field ids carry the form's prefix so that two
 * forms of the page never share one.
 */
import type { FieldError } from '../../../http/problem.js';
import { CsrfField } from '../../../http/views/layout.js';
import { cellOptions } from '../attendance/grid-codes.js';
import { CERTIFICATION_LABELS, CERTIFICATION_RESULTS, PERIOD_LABELS, PERIODS, REPORT_OUTCOME_LABELS, REPORT_OUTCOMES, WITHDRAWAL_LABELS, WITHDRAWAL_REASONS, monthLabel } from '../rules.js';

export type FormName = 'entree' | 'transmission' | 'correction' | 'abandon' | 'sortie' | 'bilan';
export interface FormState {
  form: FormName;
  errors: FieldError[];
  values: Record<string, string>;
}

interface InputProps {
  form: FormName;
  name: string;
  label: string;
  state: FormState | null;
  help?: string;
  type?: string;
  multiline?: boolean;
  required?: boolean;
  maxLength?: number;
}

const idOf = (form: FormName, name: string) => `${form}-${name}`;
const errorOf = (state: FormState | null, form: FormName, name: string) => (state?.form === form ? state.errors.find((e) => e.field === idOf(form, name))?.message : undefined);
const valueOf = (state: FormState | null, form: FormName, name: string) => (state?.form === form ? state.values[name] ?? '' : '');

function describedBy(id: string, help?: string, error?: string) {
  return [help ? `${id}-aide` : '', error ? `${id}-erreur` : ''].filter(Boolean).join(' ') || undefined;
}

function Input(p: InputProps) {
  const id = idOf(p.form, p.name);
  const error = errorOf(p.state, p.form, p.name);
  const common = { id, name: p.name, class: `form-control${error ? ' is-invalid' : ''}`, required: p.required, maxLength: p.maxLength, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': describedBy(id, p.help, error) };
  return (
    <div class="mb-3">
      <label class="form-label" for={id}>{p.label}{p.required ? <span aria-hidden="true"> *</span> : null}</label>
      {p.multiline ? <textarea {...common} rows={3}>{valueOf(p.state, p.form, p.name)}</textarea> : <input {...common} type={p.type ?? 'text'} value={valueOf(p.state, p.form, p.name)} />}
      {p.help ? <div id={`${id}-aide`} class="form-text">{p.help}</div> : null}
      {error ? <div id={`${id}-erreur`} class="invalid-feedback">{error}</div> : null}
    </div>
  );
}

function Select(p: { form: FormName; name: string; label: string; state: FormState | null; options: Array<{ value: string; label: string }>; required?: boolean }) {
  const id = idOf(p.form, p.name);
  const error = errorOf(p.state, p.form, p.name);
  const current = valueOf(p.state, p.form, p.name);
  return (
    <div class="mb-3">
      <label class="form-label" for={id}>{p.label}{p.required ? <span aria-hidden="true"> *</span> : null}</label>
      <select id={id} name={p.name} class={`form-select${error ? ' is-invalid' : ''}`} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(id, undefined, error)}>
        {p.options.map((o) => <option value={o.value} selected={o.value === current}>{o.label}</option>)}
      </select>
      {error ? <div id={`${id}-erreur`} class="invalid-feedback">{error}</div> : null}
    </div>
  );
}

function Form({ action, csrf, title, children, button }: { action: string; csrf: string; title: string; children?: preact.ComponentChildren; button: string }) {
  return (
    <form method="post" action={action} class="border rounded p-3 mb-4" novalidate>
      <h3 class="h5">{title}</h3>
      <CsrfField token={csrf} />
      {children}
      <button class="btn btn-primary" type="submit">{button}</button>
    </form>
  );
}

const base = (id: string) => `/kairos/formations/${id}`;

export const EntryForm = ({ id, csrf, state }: { id: string; csrf: string; state: FormState | null }) => (
  <Form action={`${base(id)}/entree`} csrf={csrf} title="Déclarer l’entrée en formation" button="Déclarer l’entrée">
    <Input form="entree" name="startDate" label="Date réelle d’entrée (aaaa-mm-jj)" type="date" state={state} required help="Ni avant le début convenu dans le devis, ni après sa fin, ni dans le futur." />
  </Form>
);

export const SubmitMonthForm = ({ id, csrf, months }: { id: string; csrf: string; months: string[] }) => (
  <form method="post" action={`${base(id)}/transmission`} class="d-flex gap-2 align-items-end mb-4 flex-wrap" novalidate>
    <CsrfField token={csrf} />
    <div>
      <label class="form-label" for="transmission-month">Mois à transmettre</label>
      <select class="form-select" id="transmission-month" name="month">
        {months.map((m) => <option value={m}>{monthLabel(m)}</option>)}
      </select>
    </div>
    <button class="btn btn-primary" type="submit">Transmettre l’état de présence</button>
  </form>
);

export const CorrectionForm = ({ id, csrf, state, months }: { id: string; csrf: string; state: FormState | null; months: string[] }) => (
  <Form action={`${base(id)}/correction`} csrf={csrf} title="Corriger un mois transmis" button="Enregistrer la correction">
    <p class="small">La correction est tracée (qui, quand, avant, après, motif) et visible par le conseiller et le candidat.</p>
    <Select form="correction" name="month" label="Mois" state={state} options={months.map((m) => ({ value: m, label: monthLabel(m) }))} />
    <Input form="correction" name="date" label="Jour (aaaa-mm-jj)" type="date" state={state} required />
    <Select form="correction" name="period" label="Demi-journée" state={state} options={PERIODS.map((p) => ({ value: p, label: PERIOD_LABELS[p] }))} />
    <Select form="correction" name="cell" label="Nouvelle déclaration" state={state} options={cellOptions().slice(1)} />
    <Input form="correction" name="reason" label="Motif de la correction" multiline state={state} required maxLength={1000} help="10 caractères au moins : par exemple « certificat médical reçu le 3 avril »." />
  </Form>
);

export const WithdrawalForm = ({ id, csrf, state }: { id: string; csrf: string; state: FormState | null }) => (
  <Form action={`${base(id)}/abandon`} csrf={csrf} title="Déclarer un abandon" button="Déclarer l’abandon">
    <p class="small">L’abandon clôt la formation : aucune assiduité ne pourra être déclarée après cette date. Le conseiller est alerté.</p>
    <Input form="abandon" name="date" label="Date de l’abandon (aaaa-mm-jj)" type="date" state={state} required />
    <Select form="abandon" name="reason" label="Motif" state={state} options={[{ value: '', label: '— choisissez' }, ...WITHDRAWAL_REASONS.map((r) => ({ value: r, label: WITHDRAWAL_LABELS[r] }))]} required />
    <Input form="abandon" name="comment" label="Commentaire pour le conseiller" multiline state={state} maxLength={2000} help="Obligatoire pour le motif « autre motif »." />
  </Form>
);

export const ExitForm = ({ id, csrf }: { id: string; csrf: string }) => (
  <Form action={`${base(id)}/sortie`} csrf={csrf} title="Déclarer la sortie" button="Déclarer la sortie">
    <p class="small">La formation est arrivée à son terme : le bilan sera attendu dans les 30 jours.</p>
  </Form>
);

export const ReportForm = ({ id, csrf, state }: { id: string; csrf: string; state: FormState | null }) => (
  <Form action={`${base(id)}/bilan`} csrf={csrf} title="Déposer le bilan de formation" button="Déposer le bilan">
    <Select form="bilan" name="outcome" label="Résultat" state={state} options={[{ value: '', label: '— choisissez' }, ...REPORT_OUTCOMES.map((o) => ({ value: o, label: REPORT_OUTCOME_LABELS[o] }))]} required />
    <Select form="bilan" name="certification" label="Certification" state={state} options={[{ value: '', label: '— choisissez' }, ...CERTIFICATION_RESULTS.map((o) => ({ value: o, label: CERTIFICATION_LABELS[o] }))]} required />
    <Input form="bilan" name="skills" label="Compétences acquises" multiline state={state} required maxLength={4000} />
    <Input form="bilan" name="difficulties" label="Difficultés rencontrées" multiline state={state} required maxLength={4000} />
    <Input form="bilan" name="nextSteps" label="Suites recommandées" multiline state={state} required maxLength={4000} />
    <Input form="bilan" name="employmentOutcome" label="Situation d’emploi à la sortie (si connue)" multiline state={state} maxLength={1000} />
  </Form>
);
