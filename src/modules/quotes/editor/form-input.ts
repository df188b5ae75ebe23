/**
 * The quote editor's form ⇄ the quote JSON contract. Form fields are named by their dotted path
 * in the JSON (`training.endDate`, `training.schedule.2.to`), so an error from the shape schema
 * or from the rules names exactly the input to show it next to. Values stay the strings the user
 * typed until the one schema shared with the API (quote-schema.ts, declared on the route by
 * schemas.ts) judges them: a refused form is shown again as it was typed.
 */
import type { FieldError } from '../../../http/problem.js';
import { fieldId } from '../../../http/views/form.js';
import { type CONTRACT_TYPES, MAX_OTHER_LINES, type QuoteInput } from '../rules/quote-schema.js';
import { MAX_SCHEDULE_RANGES } from '../rules/schedule.js';

export interface ScheduleRow {
  weekday: string;
  from: string;
  to: string;
}

export interface OtherLineRow {
  label: string;
  amount: string;
}

/** Everything the form shows, as text. Schedule and cost rows are compacted (blank rows dropped). */
export interface FormValues {
  type: string;
  candidate: { identifier: string; lastName: string; birthDate: string };
  training: {
    title: string;
    carifOrefSession: string;
    formacode: string;
    certification: string;
    startDate: string;
    endDate: string;
    schedule: ScheduleRow[];
    centreHours: string;
    companyHours: string;
    place: string;
    distanceLearning: boolean;
  };
  costs: { hourlyRate: string; pedagogicalCost: string; otherLines: OtherLineRow[] };
  poei: { employerSiret: string; jobOfferReference: string; contractType: string; contractMonths: string; tutor: { lastName: string; firstName: string; jobTitle: string } };
}

/**
 * Longest text kept from one form field. Above every limit of the schema, so that a pasted
 * 10 000-character title is refused with "200 caractères au maximum" rather than cut silently.
 */
export const FIELD_MAX = 1000;
const CHECKED = 'oui';

export function emptyFormValues(): FormValues {
  return {
    type: 'AIF',
    candidate: { identifier: '', lastName: '', birthDate: '' },
    training: { title: '', carifOrefSession: '', formacode: '', certification: '', startDate: '', endDate: '', schedule: [], centreHours: '', companyHours: '', place: '', distanceLearning: false },
    costs: { hourlyRate: '', pedagogicalCost: '', otherLines: [] },
    poei: { employerSiret: '', jobOfferReference: '', contractType: '', contractMonths: '', tutor: { lastName: '', firstName: '', jobTitle: '' } },
  };
}

type Body = Record<string, unknown>;
/** A text field; a name sent twice arrives as an array and counts as empty. */
const text = (body: Body, name: string): string => {
  const v = body[name];
  return typeof v === 'string' ? v.slice(0, FIELD_MAX) : '';
};

function scheduleRows(body: Body): ScheduleRow[] {
  const rows: ScheduleRow[] = [];
  for (let i = 0; i < MAX_SCHEDULE_RANGES; i++) {
    const p = `training.schedule.${i}`;
    const row = { weekday: text(body, `${p}.weekday`).trim(), from: text(body, `${p}.from`).trim(), to: text(body, `${p}.to`).trim() };
    if (row.weekday || row.from || row.to) rows.push(row);
  }
  return rows;
}

function otherLineRows(body: Body): OtherLineRow[] {
  const rows: OtherLineRow[] = [];
  for (let i = 0; i < MAX_OTHER_LINES; i++) {
    const p = `costs.otherLines.${i}`;
    const row = { label: text(body, `${p}.label`), amount: text(body, `${p}.amount`).trim() };
    if (row.label.trim() || row.amount) rows.push(row);
  }
  return rows;
}

/** A posted form (urlencoded, parsed) → the values to validate and to show again. */
export function formValuesFromBody(raw: unknown): FormValues {
  const body = (raw && typeof raw === 'object' ? raw : {}) as Body;
  const t = (name: string) => text(body, name);
  return {
    type: t('type'),
    candidate: { identifier: t('candidate.identifier'), lastName: t('candidate.lastName'), birthDate: t('candidate.birthDate').trim() },
    training: {
      title: t('training.title'),
      carifOrefSession: t('training.carifOrefSession'),
      formacode: t('training.formacode'),
      certification: t('training.certification'),
      startDate: t('training.startDate').trim(),
      endDate: t('training.endDate').trim(),
      schedule: scheduleRows(body),
      centreHours: t('training.centreHours').trim(),
      companyHours: t('training.companyHours').trim(),
      place: t('training.place'),
      distanceLearning: t('training.distanceLearning') === CHECKED,
    },
    costs: { hourlyRate: t('costs.hourlyRate').trim(), pedagogicalCost: t('costs.pedagogicalCost').trim(), otherLines: otherLineRows(body) },
    poei: {
      employerSiret: t('poei.employerSiret'),
      jobOfferReference: t('poei.jobOfferReference'),
      contractType: t('poei.contractType'),
      contractMonths: t('poei.contractMonths').trim(),
      tutor: { lastName: t('poei.tutor.lastName'), firstName: t('poei.tutor.firstName'), jobTitle: t('poei.tutor.jobTitle') },
    },
  };
}

/** '35,5' for 35.5; '140' for 140. */
const decimalText = (n: number) => String(n).replace('.', ',');
/** '12,50' for 12.5: amounts always show their cents. */
const amountText = (n: number) => n.toFixed(2).replace('.', ',');

/** The training section as form text (a stored quote, or a template). */
export function trainingValuesOf(t: QuoteInput['training']): FormValues['training'] {
  return {
    title: t.title,
    carifOrefSession: t.carifOrefSession,
    formacode: t.formacode,
    certification: t.certification ?? '',
    startDate: t.startDate,
    endDate: t.endDate,
    schedule: t.schedule.map((r) => ({ weekday: String(r.weekday), from: r.from, to: r.to })),
    centreHours: decimalText(t.centreHours),
    companyHours: decimalText(t.companyHours),
    place: t.place ?? '',
    distanceLearning: t.distanceLearning,
  };
}

/** A stored quote (as getQuote returns it) as form text. */
export function formValuesOf(q: Pick<QuoteInput, 'type' | 'candidate' | 'training' | 'costs' | 'poei'>): FormValues {
  const empty = emptyFormValues();
  return {
    type: q.type,
    candidate: { ...q.candidate },
    training: trainingValuesOf(q.training),
    costs: {
      hourlyRate: amountText(q.costs.hourlyRate),
      pedagogicalCost: amountText(q.costs.pedagogicalCost),
      otherLines: q.costs.otherLines.map((l) => ({ label: l.label, amount: amountText(l.amount) })),
    },
    poei: q.poei
      ? { ...q.poei, contractMonths: q.poei.contractMonths === null ? '' : String(q.poei.contractMonths), tutor: { ...q.poei.tutor } }
      : empty.poei,
  };
}

/** French users type jj/mm/aaaa when the browser offers no date picker: accept it too. */
export function isoDateOf(value: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : value;
}

/** A row without a day (0) or with an unknown one is left to the schedule rules, which name its line. */
const weekdayOf = (v: string): number => (v === '' ? 0 : /^\d$/.test(v) ? Number(v) : Number.NaN);

function contractMonthsOf(v: string): number | string | null {
  if (v === '') return null;
  return /^\d{1,4}$/.test(v) ? Number(v) : v;
}

/** The JSON the API would receive for this form. */
export function quoteJsonOf(v: FormValues): Record<string, unknown> {
  return {
    type: v.type,
    candidate: { identifier: v.candidate.identifier, lastName: v.candidate.lastName, birthDate: isoDateOf(v.candidate.birthDate) },
    training: {
      ...v.training,
      startDate: isoDateOf(v.training.startDate),
      endDate: isoDateOf(v.training.endDate),
      schedule: v.training.schedule.map((r) => ({ weekday: weekdayOf(r.weekday), from: r.from, to: r.to })),
    },
    costs: { ...v.costs, otherLines: v.costs.otherLines.map((l) => ({ ...l })) },
    // The POEI fieldset is always on the page (no script needed); it only counts for a POEI.
    poei: v.type === 'POEI' ? { ...v.poei, contractMonths: contractMonthsOf(v.poei.contractMonths), tutor: { ...v.poei.tutor } } : null,
  };
}

/** The select lists French labels, not the codes the API message would list. */
const FORM_MESSAGES: Record<string, string> = {
  'poei.contractType': 'Type de contrat : choisissez dans la liste le contrat promis par l’employeur.',
};

/** The quote schema's errors (the route's, schemas.ts) as the form words them. */
export function quoteFormErrors(errors: FieldError[]): FieldError[] {
  return errors.map((e) => (FORM_MESSAGES[e.field] ? { ...e, message: FORM_MESSAGES[e.field] } : e));
}

/** Sections and lists named as a whole point at their first input. */
const FIRST_INPUT: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^type$/, () => 'type.AIF'],
  [/^candidate$/, () => 'candidate.identifier'],
  [/^training\.schedule$/, () => 'training.schedule.0.weekday'],
  [/^training\.schedule\.(\d+)$/, (m) => `training.schedule.${m[1]}.weekday`],
  [/^costs\.otherLines$/, () => 'costs.otherLines.0.label'],
  [/^costs\.otherLines\.(\d+)$/, (m) => `costs.otherLines.${m[1]}.label`],
  [/^poei$/, () => 'poei.employerSiret'],
  [/^poei\.tutor$/, () => 'poei.tutor.lastName'],
  [/^(training|costs|candidate)$/, (m) => (m[1] === 'training' ? 'training.title' : m[1] === 'costs' ? 'costs.hourlyRate' : 'candidate.identifier')],
];

/** The id of the input an error's dotted field path points at, for the summary's links. */
export function inputIdFor(field: string): string {
  for (const [re, to] of FIRST_INPUT) {
    const m = re.exec(field);
    if (m) return fieldId(to(m));
  }
  return fieldId(field);
}

export const CONTRACT_LABELS: Record<(typeof CONTRACT_TYPES)[number], string> = {
  cdi: 'CDI',
  cdd: 'CDD (6 mois au moins)',
  professionalisation: 'Contrat de professionnalisation (6 mois au moins)',
  apprenticeship: 'Contrat d’apprentissage (6 mois au moins)',
  seasonal: 'Contrat saisonnier (4 mois au moins)',
  temporary: 'Intérim (6 mois de missions au moins sur 9)',
};
