/**
 * The demo world (docs/decisions/0028-demo-world.md): a few months of activity played through the
 * services on a clock moved through the past weeks, dated from the day it is seeded, once per
 * database. What each demo account then sees: README, « Visite guidée ».
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { getSetting, setSetting } from '../../db/instance-settings.js';
import { recordAuditAlone } from '../../modules/audit/service.js';
import { planAgency } from './agency.js';
import { registerCandidates } from './candidates.js';
import { worldContext } from './context.js';
import { planNightlyJobs } from './jobs.js';
import { planQuotes } from './quotes.js';
import { planSupport } from './support.js';
import { planSheets } from './sheets.js';
import { planTrainings } from './trainings.js';

/**
 * Embedded: each commit waits for its WAL on disk (decision 0016), a few milliseconds times the
 * world's hundreds of transactions. Nobody waits on them, and a crash half-way leaves a partial
 * world to delete anyway, so the session skips those waits while seeding; the setting's commit,
 * synchronous again, flushes the whole WAL before the world counts as seeded. PostgreSQL's
 * durability is the server's: unchanged.
 */
async function withoutCommitFlushes<T>(ctx: AppContext, work: () => Promise<T>): Promise<T> {
  if (ctx.engine !== 'pglite') return work();
  await sql`set synchronous_commit = off`.execute(ctx.db);
  try {
    return await work();
  } finally {
    await sql`reset synchronous_commit`.execute(ctx.db);
  }
}

export const WORLD_SEEDED_KEY = 'demo_world_seeded_at';

/** The oldest day of the world: its quote templates. */
const FIRST_DAY = -150;
/** The nightly jobs run from here: quotes submitted earlier were answered within days, the first report falls overdue later. */
const NIGHTLY_FROM = -30;

/**
 * Seeds the world once, after the demo accounts (src/demo/seed.ts); false when already there.
 * Runs inside the serialised start-up, so two instances never seed it twice. `ctx.clock` is left
 * untouched: the services get a copy of the context with the world's own clock.
 */
export async function seedDemoWorld(ctx: AppContext): Promise<boolean> {
  if (await getSetting(ctx.db, WORLD_SEEDED_KEY)) return false;
  if (!(await getSetting(ctx.db, 'demo_seeded_at'))) throw new Error('the demo world needs the demo accounts: seed them first');
  const world = await worldContext(ctx);
  registerCandidates(world);
  planQuotes(world);
  planTrainings(world);
  planSheets(world);
  planAgency(world);
  planSupport(world);
  planNightlyJobs(world, NIGHTLY_FROM);
  const steps = await withoutCommitFlushes(ctx, () => world.timeline.play());
  const now = ctx.clock.now();
  await recordAuditAlone(ctx.db, { at: now, action: 'demo.world_seeded', details: { steps, from: world.day(FIRST_DAY), to: world.today } });
  await setSetting(ctx.db, WORLD_SEEDED_KEY, now.toISOString());
  return true;
}
