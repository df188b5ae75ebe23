/**
 * One quote's life in the demo world: created by the organisation's editor, then each decision
 * at its day, by whoever takes it in the product (the editor, the candidate from their account,
 * conseiller.demo), through the quotes services. The payload passes the same schema as the API's.
 */
import { advisorDecision, candidateDecision } from '../../modules/quotes/decision/service.js';
import { cancelQuote, createQuote, newQuoteVersion, patchQuote, submitQuote } from '../../modules/quotes/editor/service.js';
import { addDays } from '../../modules/quotes/rules/holidays.js';
import { pedagogicalCostCents } from '../../modules/quotes/rules/money.js';
import { quoteCreateSchema, quotePatchSchema } from '../../modules/quotes/rules/quote-schema.js';
import { minutesToHundredths, plannedMinutes } from '../../modules/quotes/rules/schedule.js';
import { momentOf, onOrAfter } from './clock.js';
import { PLACES, type Course } from './catalogue.js';
import type { WorldContext, WorldOrganisation } from './context.js';

export const EDITORS: Record<WorldOrganisation, string> = { formapro: 'devis.demo', atelier: 'devis.demo2' };

export interface QuoteParty {
  identifier: string;
  lastName: string;
  birthDate: string;
  /** The candidate's account login: their answers are theirs. */
  login: string;
}

export type QuoteMove =
  | { on: number; at?: string; by: 'editor'; action: 'submit' | 'new_version' }
  | { on: number; at?: string; by: 'editor'; action: 'cancel'; comment: string }
  | { on: number; at?: string; by: 'editor'; action: 'add_line'; label: string; amount: number }
  | { on: number; at?: string; by: 'candidate'; action: 'accept' | 'decline'; comment?: string }
  | { on: number; at?: string; by: 'advisor'; action: 'approve' }
  | { on: number; at?: string; by: 'advisor'; action: 'refuse' | 'request_changes'; comment: string };

export interface QuotePlan {
  organisation: WorldOrganisation;
  candidate: QuoteParty;
  course: Course;
  session: string;
  /** Day the draft is created (relative to the seeding day). */
  createdOn: number;
  /** The training starts on the first Monday on or after this day, and lasts `weeks` weeks. */
  startsFrom: number;
  weeks: number;
  poei?: boolean;
  templateId?: () => string | undefined;
  /** A draft the editor has not finished: a start too soon and a cost that does not add up. */
  unfinished?: boolean;
  moves: QuoteMove[];
  /** Names the training its approval creates (trainings.ts follows it). */
  trainingKey?: string;
}

const POEI_SECTION = {
  employerSiret: '73282932000074',
  jobOfferReference: '178QKWZ',
  contractType: 'cdd',
  contractMonths: 12,
  tutor: { lastName: 'Garnier', firstName: 'Sylvie', jobTitle: 'Cheffe d’équipe' },
};

export function periodOf(world: WorldContext, plan: Pick<QuotePlan, 'startsFrom' | 'weeks'>): { startDate: string; endDate: string } {
  const startDate = onOrAfter(world.day(plan.startsFrom), 1);
  // Friday of the last week.
  return { startDate, endDate: addDays(startDate, 7 * plan.weeks - 3) };
}

function quotePayload(world: WorldContext, plan: QuotePlan) {
  const { startDate: plannedStart, endDate } = periodOf(world, plan);
  // The unfinished draft was started for a session beginning next week: too soon to submit.
  const startDate = plan.unfinished ? onOrAfter(world.day(plan.createdOn + 6), 1) : plannedStart;
  const hundredths = minutesToHundredths(plannedMinutes(plan.course.schedule, startDate, endDate));
  const rateCents = Math.round(plan.course.hourlyRate * 100);
  const cost = pedagogicalCostCents(hundredths, rateCents) / 100;
  return {
    type: plan.poei ? 'POEI' : 'AIF',
    candidate: { identifier: plan.candidate.identifier, lastName: plan.candidate.lastName, birthDate: plan.candidate.birthDate },
    training: {
      title: plan.course.title,
      carifOrefSession: plan.session,
      formacode: plan.course.formacode,
      certification: plan.course.certification,
      startDate,
      endDate,
      schedule: plan.course.schedule,
      centreHours: hundredths / 100,
      companyHours: 0,
      place: PLACES[plan.organisation],
      distanceLearning: false,
    },
    costs: { hourlyRate: plan.course.hourlyRate, pedagogicalCost: plan.unfinished ? cost + 100 : cost, otherLines: [] as Array<{ label: string; amount: number }> },
    poei: plan.poei ? POEI_SECTION : null,
  };
}

/** Registers the quote's creation and moves on the world's timeline. */
export function planQuote(world: WorldContext, plan: QuotePlan): void {
  const label = `devis ${plan.session}`;
  let quoteId = '';
  let version = 1;
  const payload = quotePayload(world, plan);
  if (plan.trainingKey) {
    const { startDate, endDate } = periodOf(world, plan);
    world.trainings.set(plan.trainingKey, { key: plan.trainingKey, organisation: plan.organisation, identifier: plan.candidate.identifier, session: plan.session, schedule: plan.course.schedule, startDate, endDate, id: null });
  }
  world.timeline.at(momentOf(world.day(plan.createdOn), '09:20'), `${label} : brouillon`, async () => {
    const editor = await world.actor(EDITORS[plan.organisation]);
    const templateId = plan.templateId?.();
    const input = quoteCreateSchema.parse(payload);
    const view = await createQuote(world.ctx, editor, input, world.meta(), { templateId });
    quoteId = view.id;
  });
  for (const move of plan.moves) {
    world.timeline.at(momentOf(world.day(move.on), move.at ?? defaultTime(move.by)), `${label} : ${move.action}`, async () => {
      const meta = world.meta();
      if (move.by === 'editor') {
        const editor = await world.actor(EDITORS[plan.organisation]);
        if (move.action === 'submit') await submitQuote(world.ctx, editor, quoteId, meta);
        if (move.action === 'new_version') version = (await newQuoteVersion(world.ctx, editor, quoteId, meta)).version;
        if (move.action === 'cancel') await cancelQuote(world.ctx, editor, quoteId, meta, { reason: move.comment, version });
        if (move.action === 'add_line') {
          payload.costs.otherLines.push({ label: move.label, amount: move.amount });
          await patchQuote(world.ctx, editor, quoteId, quotePatchSchema.parse({ costs: payload.costs }), meta);
        }
        return;
      }
      if (move.by === 'candidate') {
        const candidate = await world.actor(plan.candidate.login);
        await candidateDecision(world.ctx, candidate, quoteId, { decision: move.action, comment: move.comment ?? null, version }, meta);
        return;
      }
      const advisor = await world.actor('conseiller.demo');
      const reason = move.action === 'approve' ? null : move.comment;
      const result = await advisorDecision(world.ctx, advisor, quoteId, { decision: move.action, reason, version }, meta);
      if (result.trainingId && plan.trainingKey) world.trainings.get(plan.trainingKey)!.id = result.trainingId;
    });
  }
}

/** Editors work in the morning, candidates answer in the evening, the advisor decides early afternoon. */
function defaultTime(by: QuoteMove['by']): string {
  return by === 'editor' ? '10:05' : by === 'candidate' ? '17:40' : '12:30';
}
