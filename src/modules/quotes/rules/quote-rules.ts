/**
 * The business rules of a quote (docs/product/quotes.md#validation): what must hold for a
 * shape-valid quote to be SUBMITTED. Each rule is a pure function of the quote and a context the
 * service assembles (today's date in Paris, settings, the organisation's Qualiopi expiry, the
 * candidate's other open periods). Every rule reports every problem it sees, so the editor gets the
 * full list in one round trip.
 */
import { siretValid } from '../../onboarding/rules.js';
import { addDays, daysBetween, formatFrenchDate as fr, dayNumber } from './holidays.js';
import { formatEuros, pedagogicalCostCents } from './money.js';
import type { ContractType, QuoteInput } from './quote-schema.js';
import { MAX_SCHEDULE_SPAN_DAYS, formatHours, minutesToHundredths, plannedMinutes, scheduleIssues } from './schedule.js';

export { quoteInputSchema, quotePatchSchema, type QuoteInput, type QuotePatch } from './quote-schema.js';

export interface Finding {
  /** Dotted path in the quote JSON, e.g. 'training.endDate'. */
  field: string;
  /** Stable snake_case code, for clients and tests. */
  code: string;
  /** French, names the field and says what to do. */
  message: string;
  severity: 'error' | 'warning';
}

export interface OpenPeriod {
  startDate: string;
  endDate: string;
  /** Only changes the wording of the message. */
  kind?: 'quote' | 'training';
}

export interface QuoteRuleContext {
  /** Today in Europe/Paris, 'yyyy-mm-dd'. */
  today: string;
  leadTimeDays: number;
  poeiMaxHours: number;
  hourlyRateWarningCents: number;
  /** Last day of validity of the organisation's Qualiopi certificate, or null if none is on file. */
  organisationQualiopiExpiry: string | null;
  /** The candidate's other open quotes and trainings (the quote being checked excluded). */
  otherOpenPeriods: OpenPeriod[];
}

/**
 * Constants today (no environment setting); they travel in the rule context so that tests, and a
 * setting if one is ever needed, can vary them.
 */
export const DEFAULT_QUOTE_SETTINGS = { leadTimeDays: 14, poeiMaxHours: 400, hourlyRateWarningCents: 3000 } as const;

export type QuoteRule = (quote: QuoteInput, ctx: QuoteRuleContext) => Finding[];

const error = (field: string, code: string, message: string): Finding => ({ field, code, message, severity: 'error' });
const warning = (field: string, code: string, message: string): Finding => ({ field, code, message, severity: 'warning' });

// Shape validation guarantees ≤ 2 decimals, so these roundings only remove float noise.
const cents = (euros: number) => Math.round(euros * 100);
const hundredths = (hours: number) => Math.round(hours * 100);
const declaredHundredths = (q: QuoteInput) => hundredths(q.training.centreHours) + hundredths(q.training.companyHours);

/** Both dates real and in order: the rules comparing periods have nothing to say otherwise. */
function period(q: QuoteInput): { start: string; end: string } | null {
  try {
    const { startDate: start, endDate: end } = q.training;
    return dayNumber(end) >= dayNumber(start) ? { start, end } : null;
  } catch {
    return null;
  }
}

export const endNotBeforeStart: QuoteRule = (q) => {
  const { startDate, endDate } = q.training;
  if (endDate >= startDate) return [];
  return [error('training.endDate', 'end_before_start', `Date de fin : elle ne peut pas précéder la date de début (${fr(startDate)}). Corrigez la date de fin ou la date de début.`)];
};

export const startAfterLeadTime: QuoteRule = (q, ctx) => {
  const earliest = addDays(ctx.today, ctx.leadTimeDays);
  if (q.training.startDate >= earliest) return [];
  const message = `Date de début : la formation doit commencer au plus tôt le ${fr(earliest)} (${ctx.leadTimeDays} jours après aujourd’hui), le temps que le candidat et le conseiller se prononcent. Choisissez une date à partir du ${fr(earliest)}.`;
  return [error('training.startDate', 'start_too_soon', message)];
};

/** Planned hours (schedule × dates − public holidays) must equal centre + company hours. */
export const plannedHoursMatchDeclared: QuoteRule = (q) => {
  const { schedule, centreHours, companyHours } = q.training;
  if (schedule.length === 0) {
    return [error('training.schedule', 'schedule_empty', 'Emploi du temps : ajoutez au moins une plage horaire (jour, heure de début, heure de fin) pour que les heures prévues soient calculées.')];
  }
  const p = period(q);
  if (!p || scheduleIssues(schedule).length > 0) return [];
  if (daysBetween(p.start, p.end) > MAX_SCHEDULE_SPAN_DAYS) {
    return [error('training.endDate', 'training_too_long', `Date de fin : une formation ne peut pas durer plus de 10 ans. Vérifiez l’année de la date de fin (${fr(p.end)}).`)];
  }
  const planned = minutesToHundredths(plannedMinutes(schedule, p.start, p.end));
  const declared = declaredHundredths(q);
  if (planned === declared) return [];
  const message = `Heures prévues : l’emploi du temps donne ${formatHours(planned)} du ${fr(p.start)} au ${fr(p.end)} (jours fériés déduits), mais le devis déclare ${formatHours(declared)} (${formatHours(hundredths(centreHours))} en centre + ${formatHours(hundredths(companyHours))} en entreprise). Corrigez l’emploi du temps, les dates ou les heures pour qu’ils concordent.`;
  return [error('training.schedule', 'planned_hours_mismatch', message)];
};

export const poeiHoursWithinLimit: QuoteRule = (q, ctx) => {
  const declared = declaredHundredths(q);
  if (q.type !== 'POEI' || declared <= ctx.poeiMaxHours * 100) return [];
  const message = `Heures de formation : une POEI est limitée à ${formatHours(ctx.poeiMaxHours * 100)} (centre + entreprise) ; ce devis en déclare ${formatHours(declared)}. Réduisez les heures en centre ou en entreprise.`;
  return [error('training.centreHours', 'poei_hours_over_limit', message)];
};

export const hourlyRateReasonable: QuoteRule = (q, ctx) => {
  const rate = cents(q.costs.hourlyRate);
  if (rate <= 0) return [error('costs.hourlyRate', 'hourly_rate_not_positive', 'Taux horaire : il doit être supérieur à 0 €. Saisissez le taux horaire de la formation.')];
  if (rate <= ctx.hourlyRateWarningCents) return [];
  const message = `Taux horaire : ${formatEuros(rate)} de l’heure dépasse le seuil habituel de ${formatEuros(ctx.hourlyRateWarningCents)}. Vérifiez-le ; le conseiller verra cet avertissement.`;
  return [warning('costs.hourlyRate', 'hourly_rate_high', message)];
};

/** Cost = (centre + company hours) × rate, rounded half up to the cent (see pedagogicalCostCents). */
export const pedagogicalCostMatches: QuoteRule = (q) => {
  const hours = declaredHundredths(q);
  const rate = cents(q.costs.hourlyRate);
  const expected = pedagogicalCostCents(hours, rate);
  const declared = cents(q.costs.pedagogicalCost);
  if (declared === expected) return [];
  const message = `Coût pédagogique : ${formatHours(hours)} × ${formatEuros(rate)} = ${formatEuros(expected)}, or vous avez saisi ${formatEuros(declared)}. Saisissez ${formatEuros(expected)} ou corrigez les heures ou le taux horaire.`;
  return [error('costs.pedagogicalCost', 'pedagogical_cost_mismatch', message)];
};

export const FORMACODE = /^\d{5}$/;
export const CERTIFICATION = /^(RNCP|RS)\d{3,6}$/;
/** Carif-Oref session numbers differ by region (e.g. 'SE_0000123456', '24_AF-0042'): 1–30 letters, digits, '-' or '_'. */
export const CARIF_OREF_SESSION = /^[A-Za-z0-9_-]{1,30}$/;
/** Job offer references (e.g. '123ABCD'): 1–30 letters, digits or '-'. */
export const JOB_OFFER_REFERENCE = /^[A-Za-z0-9-]{1,30}$/;

export const codesWellFormed: QuoteRule = (q) => {
  const { formacode, certification, carifOrefSession } = q.training;
  const findings: Finding[] = [];
  if (formacode === '') findings.push(error('training.formacode', 'formacode_required', 'Formacode : champ obligatoire. Saisissez le code à 5 chiffres de la formation (exemple : 22252).'));
  else if (!FORMACODE.test(formacode)) findings.push(error('training.formacode', 'formacode_invalid', `Formacode : « ${formacode} » n’est pas valide ; saisissez 5 chiffres (exemple : 22252).`));
  if (certification !== null && !CERTIFICATION.test(certification)) {
    findings.push(error('training.certification', 'certification_invalid', `Code de certification : « ${certification} » n’est pas valide ; saisissez RNCP ou RS suivi de 3 à 6 chiffres (exemple : RNCP35185), ou laissez vide si la formation n’est pas certifiante.`));
  }
  if (carifOrefSession === '') findings.push(error('training.carifOrefSession', 'carif_oref_session_required', 'Numéro de session Carif-Oref : champ obligatoire. Recopiez-le depuis l’offre de formation publiée.'));
  else if (!CARIF_OREF_SESSION.test(carifOrefSession)) {
    findings.push(error('training.carifOrefSession', 'carif_oref_session_invalid', 'Numéro de session Carif-Oref : 1 à 30 lettres, chiffres, tirets ou soulignés, sans espace. Recopiez-le depuis l’offre de formation publiée.'));
  }
  return findings;
};

export const placeUnlessDistance: QuoteRule = (q) => {
  const { place, distanceLearning } = q.training;
  if (distanceLearning || (place !== null && place.trim() !== '')) return [];
  return [error('training.place', 'place_required', 'Lieu de formation : indiquez l’adresse où se déroule la formation, ou cochez « formation à distance ».')];
};

export const noOverlapWithOpenPeriods: QuoteRule = (q, ctx) => {
  const p = period(q);
  if (!p) return [];
  return ctx.otherOpenPeriods
    .filter((o) => o.startDate <= p.end && p.start <= o.endDate)
    .map((o) => {
      const what = o.kind === 'training' ? 'une formation' : 'un autre devis en cours';
      return error(
        'training.startDate',
        'period_overlap',
        `Dates de la formation : le candidat a déjà ${what} du ${fr(o.startDate)} au ${fr(o.endDate)}, qui chevauche cette période. Modifiez les dates ou rapprochez-vous du conseiller.`,
      );
    });
};

/** The expiry date is the certificate's last valid day, so a start on that very day is accepted. */
export const qualiopiValidOnStart: QuoteRule = (q, ctx) => {
  const expiry = ctx.organisationQualiopiExpiry;
  const start = q.training.startDate;
  if (expiry === null) {
    return [error('training.startDate', 'qualiopi_missing', 'Certification Qualiopi : aucune certification n’est enregistrée pour votre organisme ; une formation financée l’exige. Faites enregistrer votre certificat Qualiopi auprès de l’agence.')];
  }
  if (expiry >= start) return [];
  const message = `Certification Qualiopi : celle de votre organisme expire le ${fr(expiry)}, avant la date de début (${fr(start)}). Faites enregistrer son renouvellement auprès de l’agence ou choisissez une date de début couverte.`;
  return [error('training.startDate', 'qualiopi_expired', message)];
};

export const poeiSectionMatchesType: QuoteRule = (q) => {
  if (q.type === 'POEI' && q.poei === null) {
    return [error('poei', 'poei_required', 'Volet POEI (employeur) : obligatoire pour une POEI. Renseignez l’employeur, l’offre d’emploi, le contrat promis et le tuteur.')];
  }
  if (q.type === 'AIF' && q.poei !== null) {
    return [error('poei', 'poei_not_allowed', 'Volet POEI (employeur) : il ne concerne pas une AIF. Videz-le, ou choisissez le type POEI.')];
  }
  return [];
};

/** Minimum contract length, in months, per contract type; CDI has none. */
export const CONTRACT_MIN_MONTHS: Readonly<Record<ContractType, number | null>> = {
  cdi: null,
  cdd: 6,
  professionalisation: 6,
  apprenticeship: 6,
  seasonal: 4,
  temporary: 6,
};
/** Temporary work counts assignments within the 9 months following the training. */
export const TEMPORARY_WINDOW_MONTHS = 9;

function contractFindings(contractType: ContractType, months: number | null): Finding[] {
  const min = CONTRACT_MIN_MONTHS[contractType];
  if (min === null) return [];
  const field = 'poei.contractMonths';
  if (months === null) return [error(field, 'contract_months_required', `Durée du contrat (mois) : obligatoire pour ce type de contrat ; indiquez la durée promise (${min} mois au minimum).`)];
  if (months < min) return [error(field, 'contract_too_short', `Durée du contrat (mois) : ${months} mois, or une POEI exige au moins ${min} mois pour ce type de contrat. Corrigez la durée ou le type de contrat.`)];
  if (contractType === 'temporary' && months > TEMPORARY_WINDOW_MONTHS) {
    return [error(field, 'temporary_window_exceeded', `Durée du contrat (mois) : pour l’intérim, indiquez les mois de missions compris dans les ${TEMPORARY_WINDOW_MONTHS} mois suivant la formation (${TEMPORARY_WINDOW_MONTHS} au maximum).`)];
  }
  return [];
}

const TUTOR_FIELDS = [
  ['lastName', 'tutor_last_name_required', 'Nom du tuteur'],
  ['firstName', 'tutor_first_name_required', 'Prénom du tuteur'],
  ['jobTitle', 'tutor_job_title_required', 'Fonction du tuteur'],
] as const;

export const poeiEmployerComplete: QuoteRule = (q) => {
  if (q.type !== 'POEI' || q.poei === null) return [];
  const { employerSiret, jobOfferReference, contractType, contractMonths, tutor } = q.poei;
  const findings: Finding[] = [];
  if (employerSiret === '') findings.push(error('poei.employerSiret', 'employer_siret_required', 'SIRET de l’employeur : champ obligatoire. Saisissez les 14 chiffres du SIRET de l’établissement qui recrute.'));
  else if (!siretValid(employerSiret)) findings.push(error('poei.employerSiret', 'employer_siret_invalid', 'SIRET de l’employeur : ce numéro n’est pas valide (14 chiffres, clé de contrôle). Vérifiez-le sur l’avis de situation Insee de l’employeur.'));
  if (jobOfferReference === '') findings.push(error('poei.jobOfferReference', 'job_offer_reference_required', 'Référence de l’offre d’emploi : champ obligatoire. Recopiez la référence de l’offre déposée par l’employeur.'));
  else if (!JOB_OFFER_REFERENCE.test(jobOfferReference)) findings.push(error('poei.jobOfferReference', 'job_offer_reference_invalid', 'Référence de l’offre d’emploi : 1 à 30 lettres, chiffres ou tirets, sans espace (exemple : 123ABCD).'));
  findings.push(...contractFindings(contractType, contractMonths));
  for (const [key, code, label] of TUTOR_FIELDS) {
    if (tutor[key] === '') findings.push(error(`poei.tutor.${key}`, code, `${label} : champ obligatoire. Indiquez la personne qui accompagnera le candidat chez l’employeur.`));
  }
  return findings;
};

/** In the order of the form, so the summary at the top reads like the page. */
export const QUOTE_RULES: ReadonlyArray<readonly [name: string, rule: QuoteRule]> = [
  ['poeiSectionMatchesType', poeiSectionMatchesType],
  ['codesWellFormed', codesWellFormed],
  ['endNotBeforeStart', endNotBeforeStart],
  ['startAfterLeadTime', startAfterLeadTime],
  ['qualiopiValidOnStart', qualiopiValidOnStart],
  ['noOverlapWithOpenPeriods', noOverlapWithOpenPeriods],
  ['plannedHoursMatchDeclared', plannedHoursMatchDeclared],
  ['poeiHoursWithinLimit', poeiHoursWithinLimit],
  ['placeUnlessDistance', placeUnlessDistance],
  ['hourlyRateReasonable', hourlyRateReasonable],
  ['pedagogicalCostMatches', pedagogicalCostMatches],
  ['poeiEmployerComplete', poeiEmployerComplete],
];

/** All findings of a quote that passed `quoteInputSchema`. */
export function validateQuote(quote: QuoteInput, ctx: QuoteRuleContext): Finding[] {
  return QUOTE_RULES.flatMap(([, rule]) => rule(quote, ctx));
}

export function hasBlockingErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

export interface QuoteTotals {
  pedagogicalCents: number;
  otherCents: number;
  totalCents: number;
  fundedCents: number;
  notFundedCents: number;
}

/**
 * Funded = the pedagogical cost; the other lines (registration, materials, exam fees) are shown
 * but not funded: AIF and POEI funding both cover the pedagogical cost only.
 */
export function quoteTotals(quote: Pick<QuoteInput, 'costs'>): QuoteTotals {
  const pedagogicalCents = cents(quote.costs.pedagogicalCost);
  const otherCents = quote.costs.otherLines.reduce((sum, l) => sum + cents(l.amount), 0);
  return { pedagogicalCents, otherCents, totalCents: pedagogicalCents + otherCents, fundedCents: pedagogicalCents, notFundedCents: otherCents };
}

/**
 * The rules that can warn. They read the quote and the settings only — no date, organisation or
 * other quote — so their findings are a property of the quote's content and are stored with it
 * when it is written (docs/decisions/0030-stored-quote-warnings.md). A warning rule that reads
 * anything else must also be recomputed by the writes of what it reads.
 */
export const WARNING_RULES: readonly QuoteRule[] = [hourlyRateReasonable];

/** The warnings of a quote, as `validateQuote` would report them in any context. */
export function quoteWarnings(quote: Omit<QuoteInput, 'candidate'>, settings: Pick<QuoteRuleContext, 'leadTimeDays' | 'poeiMaxHours' | 'hourlyRateWarningCents'> = DEFAULT_QUOTE_SETTINGS): Finding[] {
  // The warning rules never read the candidate section nor the context beyond the settings.
  const input: QuoteInput = { ...quote, candidate: { identifier: '', lastName: '', birthDate: '' } };
  const context: QuoteRuleContext = { ...settings, today: '', organisationQualiopiExpiry: null, otherOpenPeriods: [] };
  return WARNING_RULES.flatMap((rule) => rule(input, context)).filter((f) => f.severity === 'warning');
}

/**
 * The error rules that read the quote and the settings only: their errors are a property of the
 * content, stored with it as a count when it is written (docs/decisions/0049). The three others
 * read the date (lead time), the organisation (Qualiopi) or the candidate's other quotes
 * (overlap); `blockedDraft` (record/blocking-errors.ts) judges them in SQL at read time.
 */
export const CONTENT_RULES: readonly QuoteRule[] = QUOTE_RULES.map(([, rule]) => rule).filter(
  (rule) => rule !== startAfterLeadTime && rule !== qualiopiValidOnStart && rule !== noOverlapWithOpenPeriods,
);

/** How many blocking errors the content alone carries, in any context. */
export function quoteContentErrorCount(quote: Omit<QuoteInput, 'candidate'>, settings: Pick<QuoteRuleContext, 'leadTimeDays' | 'poeiMaxHours' | 'hourlyRateWarningCents'> = DEFAULT_QUOTE_SETTINGS): number {
  const input: QuoteInput = { ...quote, candidate: { identifier: '', lastName: '', birthDate: '' } };
  const context: QuoteRuleContext = { ...settings, today: '', organisationQualiopiExpiry: null, otherOpenPeriods: [] };
  return CONTENT_RULES.flatMap((rule) => rule(input, context)).filter((f) => f.severity === 'error').length;
}
