/**
 * The editor's "Récapitulatif": planned hours from the schedule (public holidays left out),
 * declared hours, the pedagogical cost they imply, the other (unfunded) lines and the total.
 * Computed from the form's text as typed, so the same function serves the page after a save
 * (no JavaScript needed) and the htmx preview while typing. It never throws on bad input: what
 * cannot be computed yet is said so, and the field errors come from the save.
 */
import { isRealDate } from '../../onboarding/rules.js';
import { daysBetween, formatFrenchDate } from '../rules/holidays.js';
import { isoDateOf, type FormValues } from './form-input.js';
import { MAX_AMOUNT_CENTS, formatEuros, parseHundredths, pedagogicalCostCents } from '../rules/money.js';
import { MAX_HOURS_PER_FIELD } from '../rules/quote-schema.js';
import { MAX_SCHEDULE_SPAN_DAYS, formatHours, minutesToHundredths, plannedMinutes, scheduleIssues } from '../rules/schedule.js';

export interface EditorTotals {
  period: { start: string; end: string } | null;
  plannedHundredths: number | null;
  declaredHundredths: number | null;
  hourlyRateCents: number | null;
  expectedCostCents: number | null;
  enteredCostCents: number | null;
  otherCents: number;
  unreadableOtherLines: number;
  totalCents: number | null;
}

/** An empty field counts as 0 here (not typed yet); unreadable text gives null. */
function hundredthsOf(text: string, max: number): number | null {
  if (text.trim() === '') return 0;
  const r = parseHundredths(text, max);
  return r.ok ? r.hundredths : null;
}

function plannedOf(v: FormValues): Pick<EditorTotals, 'period' | 'plannedHundredths'> {
  const start = isoDateOf(v.training.startDate);
  const end = isoDateOf(v.training.endDate);
  const none = { period: null, plannedHundredths: null };
  if (!isRealDate(start) || !isRealDate(end) || end < start || daysBetween(start, end) > MAX_SCHEDULE_SPAN_DAYS) return none;
  const schedule = v.training.schedule.map((r) => ({ weekday: /^\d$/.test(r.weekday) ? Number(r.weekday) : 0, from: r.from, to: r.to }));
  if (schedule.length === 0 || scheduleIssues(schedule).length > 0) return none;
  try {
    return { period: { start, end }, plannedHundredths: minutesToHundredths(plannedMinutes(schedule, start, end)) };
  } catch {
    // Years the holiday calendar does not cover: the save reports the date itself.
    return none;
  }
}

export function editorTotals(v: FormValues): EditorTotals {
  const maxHours = MAX_HOURS_PER_FIELD * 100;
  const centre = hundredthsOf(v.training.centreHours, maxHours);
  const company = hundredthsOf(v.training.companyHours, maxHours);
  const declared = centre === null || company === null ? null : centre + company;
  const rate = v.costs.hourlyRate.trim() === '' ? null : hundredthsOf(v.costs.hourlyRate, MAX_AMOUNT_CENTS);
  const entered = v.costs.pedagogicalCost.trim() === '' ? null : hundredthsOf(v.costs.pedagogicalCost, MAX_AMOUNT_CENTS);
  const lines = v.costs.otherLines.map((l) => hundredthsOf(l.amount, MAX_AMOUNT_CENTS));
  const otherCents = lines.reduce<number>((sum, c) => sum + (c ?? 0), 0);
  return {
    ...plannedOf(v),
    declaredHundredths: declared,
    hourlyRateCents: rate,
    expectedCostCents: declared !== null && rate !== null ? pedagogicalCostCents(declared, rate) : null,
    enteredCostCents: entered,
    otherCents,
    unreadableOtherLines: lines.filter((c) => c === null).length,
    totalCents: entered === null ? null : entered + otherCents,
  };
}

function HoursComparison({ t }: { t: EditorTotals }) {
  if (t.plannedHundredths === null || t.declaredHundredths === null) return null;
  const gap = t.declaredHundredths - t.plannedHundredths;
  if (gap === 0) return <span class="d-block small">Concordent avec les heures prévues.</span>;
  return <span class="d-block small text-danger-emphasis">Écart de {formatHours(Math.abs(gap))} avec les heures prévues : {gap > 0 ? 'trop d’heures déclarées' : 'heures déclarées insuffisantes'}.</span>;
}

/** The figures themselves, as a description list; the region around it is in the views. */
export function TotalsList({ totals: t }: { totals: EditorTotals }) {
  const pending = (what: string) => <span class="text-body-secondary">À calculer : {what}.</span>;
  return (
    <dl class="row mb-0" id="recap-figures">
      <dt class="col-sm-6">Heures prévues (emploi du temps, jours fériés déduits)</dt>
      <dd class="col-sm-6" id="recap-heures-prevues">
        {t.plannedHundredths !== null && t.period
          ? `${formatHours(t.plannedHundredths)} du ${formatFrenchDate(t.period.start)} au ${formatFrenchDate(t.period.end)}`
          : pending('renseignez les dates de début et de fin et au moins une plage horaire valide')}
      </dd>
      <dt class="col-sm-6">Heures déclarées (centre + entreprise)</dt>
      <dd class="col-sm-6" id="recap-heures-declarees">
        {t.declaredHundredths !== null ? formatHours(t.declaredHundredths) : pending('saisissez des heures valides')}
        <HoursComparison t={t} />
      </dd>
      <dt class="col-sm-6">Coût pédagogique attendu (heures × taux horaire)</dt>
      <dd class="col-sm-6" id="recap-cout-attendu">
        {t.expectedCostCents !== null && t.declaredHundredths !== null && t.hourlyRateCents !== null
          ? `${formatHours(t.declaredHundredths)} × ${formatEuros(t.hourlyRateCents)} = ${formatEuros(t.expectedCostCents)}`
          : pending('saisissez les heures et le taux horaire')}
      </dd>
      <dt class="col-sm-6">Coût pédagogique saisi (financé)</dt>
      <dd class="col-sm-6" id="recap-cout-saisi">
        {t.enteredCostCents !== null ? formatEuros(t.enteredCostCents) : pending('saisissez un coût pédagogique valide')}
        {t.enteredCostCents !== null && t.expectedCostCents !== null && t.enteredCostCents !== t.expectedCostCents ? (
          <span class="d-block small text-danger-emphasis">Différent du coût attendu ({formatEuros(t.expectedCostCents)}).</span>
        ) : null}
      </dd>
      <dt class="col-sm-6">Autres frais (non financés)</dt>
      <dd class="col-sm-6" id="recap-autres-frais">
        {formatEuros(t.otherCents)}
        {t.unreadableOtherLines > 0 ? <span class="d-block small text-danger-emphasis">{t.unreadableOtherLines === 1 ? 'Un montant illisible n’est pas compté.' : `${t.unreadableOtherLines} montants illisibles ne sont pas comptés.`}</span> : null}
      </dd>
      <dt class="col-sm-6">Total du devis</dt>
      <dd class="col-sm-6 fw-semibold" id="recap-total">
        {t.totalCents !== null ? `${formatEuros(t.totalCents)}, dont ${formatEuros(t.enteredCostCents ?? 0)} financés` : pending('saisissez le coût pédagogique')}
      </dd>
    </dl>
  );
}

/**
 * The summary region; `live` adds the htmx refresh (the read-only page shows it without). Only
 * the figures are taken from the answer, so a sign-in page (expired session) is never swapped in.
 */
export function SummaryRegion({ totals, live }: { totals: EditorTotals; live: boolean }) {
  const hx = live ? { 'hx-post': '/devis/apercu', 'hx-trigger': 'input delay:400ms from:closest form', 'hx-include': 'closest form', 'hx-sync': 'this:replace', 'hx-select': '#recap-figures' } : {};
  return (
    <section class="card mb-4" aria-labelledby="titre-recapitulatif">
      <div class="card-body">
        <h2 id="titre-recapitulatif" class="h5">Récapitulatif</h2>
        {live ? <p class="small text-body-secondary">Mis à jour pendant la saisie et recalculé à chaque enregistrement.</p> : null}
        <div id="recapitulatif" aria-live="polite" {...hx}>
          <TotalsList totals={totals} />
        </div>
      </div>
    </section>
  );
}
