/**
 * What every area of the demo world shares: the application context whose clock the timeline
 * moves, the day the world is seeded (everything is dated from it), the demo accounts as
 * service actors, and what earlier areas created (candidates, trainings) for later ones.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext, RequestMeta } from '../../context.js';
import { parisDay } from '../../modules/onboarding/rules.js';
import { addDays } from '../../modules/quotes/rules/holidays.js';
import { effectiveHabilitations, type Actor } from '../../modules/habilitations/policy.js';
import type { Schedule } from '../../modules/quotes/rules/schedule.js';
import { WorldTimeline } from './clock.js';

export interface WorldCandidate {
  identifier: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  /** Their candidate account, through which they answer quotes (docs/decisions/0028-demo-world.md). */
  accountId: string;
  login: string;
}

export interface WorldContext {
  /** The application context with the timeline's clock: what the services are given. */
  ctx: AppContext;
  timeline: WorldTimeline;
  /** The Paris day the world is seeded: day 0. */
  today: string;
  /** Day `n` relative to day 0 (negative: the past). */
  day(n: number): string;
  /** The account as a service actor; `fresh` reloads it after a change of its habilitations. */
  actor(login: string, fresh?: boolean): Promise<Actor>;
  /** A request's facts as the services record them: the demo acts from no address. */
  meta(): RequestMeta;
  organisations: { formapro: string; atelier: string; agency: string };
  /** Registered candidates per organisation that will quote for them, in order. */
  candidates: { formapro: WorldCandidate[]; atelier: WorldCandidate[] };
  /** Trainings their quotes' approval will create, by key; `id` is known once approved. */
  trainings: Map<string, WorldTraining>;
}

export type WorldOrganisation = 'formapro' | 'atelier';

export interface WorldTraining {
  key: string;
  organisation: WorldOrganisation;
  identifier: string;
  session: string;
  schedule: Schedule;
  startDate: string;
  endDate: string;
  id: string | null;
}

export async function worldContext(base: AppContext): Promise<WorldContext> {
  const present = base.clock.now();
  const timeline = new WorldTimeline(present);
  const ctx: AppContext = { ...base, clock: timeline.clock };
  const today = parisDay(present);
  const actors = new Map<string, Actor>();
  const orgId = async (name: string) => (await base.db.selectFrom('organisation').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  return {
    ctx,
    timeline,
    today,
    day: (n) => addDays(today, n),
    async actor(login, fresh = false) {
      const known = actors.get(login);
      if (known && !fresh) return known;
      // The account as its session would load it (organisation, effective habilitations), without
      // a session: nobody signs in, the world acts through the services directly.
      const account = await base.db
        .selectFrom('account')
        .leftJoin('organisation', 'organisation.id', 'account.organisation_id')
        .select(['account.id', 'account.login', 'account.display_name', 'account.kind', 'organisation.id as orgId', 'organisation.name as orgName', 'organisation.kind as orgKind'])
        .where('account.login', '=', login)
        .executeTakeFirstOrThrow();
      const organisation = account.orgId && account.orgName && account.orgKind ? { id: account.orgId, name: account.orgName, kind: account.orgKind } : null;
      const rows = await base.db.selectFrom('habilitation').select(['application', 'role', 'organisation_id as organisationId']).where('account_id', '=', account.id).where('suspended_at', 'is', null).execute();
      const actor: Actor = {
        accountId: account.id,
        sessionId: 'demo-world',
        login: account.login,
        displayName: account.display_name,
        kind: account.kind,
        organisation,
        habilitations: effectiveHabilitations(rows, organisation),
      };
      actors.set(login, actor);
      return actor;
    },
    meta: () => ({ ip: null, userAgent: null, requestId: randomUUID() }),
    organisations: { formapro: await orgId('Formapro Démo'), atelier: await orgId('Atelier Compétences Démo'), agency: await orgId('France Travail') },
    candidates: { formapro: [], atelier: [] },
    trainings: new Map(),
  };
}
