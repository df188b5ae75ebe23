/**
 * The statements the hot read routes send, and their plans: used by the query-plans test (no
 * sequential scan of a large table) and by the growth bench's EXPLAIN ANALYZE at 10⁷ rows.
 * Statements are captured with their parameters while one request runs (query-counter.ts), then
 * explained with the same parameters on the same database.
 */
import { CompiledQuery, sql } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { captureStatements } from './query-counter.js';

export interface HotRoute {
  name: string;
  url: string;
  /**
   * Which signed-in account calls it: the organisation's quote editor or attendance officer, the
   * advisor, the agency administrator, or the organisation's trainer (see `dashboardRoutes`).
   */
  as: 'editor' | 'officer' | 'advisor' | 'agency' | 'trainer';
}

/** The hot reads of the first generated organisation (seed:scale), on its busiest training. */
export async function hotRoutes(db: Database): Promise<HotRoute[]> {
  const busiest = await sql<{ id: string; session: string; month: string }>`
    select t.id, t.carif_oref_session as session, to_char(max(a.date), 'YYYY-MM') as month
    from training t join attendance a on a.training_id = t.id
    where t.organisation_id = (select id from organisation where name = 'Organisme généré 1')
    group by t.id order by count(*) desc, t.id limit 1`.execute(db);
  const t = busiest.rows[0];
  if (!t) throw new Error('no generated training with attendance: run seed:scale first');
  return [
    { name: 'quote list', url: '/api/v1/quotes', as: 'editor' },
    { name: 'quote list, filtered by status', url: '/api/v1/quotes?status=approved', as: 'editor' },
    { name: 'advisor queue', url: '/api/v1/quote-queue', as: 'advisor' },
    { name: 'training list', url: '/api/v1/trainings', as: 'officer' },
    { name: 'training detail', url: `/api/v1/trainings/${t.id}`, as: 'officer' },
    { name: 'month of attendance', url: `/api/v1/trainings/${t.id}/attendance?month=${t.month}`, as: 'officer' },
    { name: 'attendance grid page', url: `/kairos/assiduite?session=${encodeURIComponent(t.session)}&mois=${t.month}`, as: 'officer' },
  ];
}

/**
 * The dashboard of each role (GET /api/v1/dashboard). The agency administrator's block reads
 * agency-wide aggregates: see docs/decisions/0049-dashboard-figures-at-scale.md for which of its
 * statements may read a large table whole.
 */
export function dashboardRoutes(): HotRoute[] {
  return (['editor', 'officer', 'advisor', 'trainer'] as const).map((as) => ({ name: `dashboard (${as})`, url: '/api/v1/dashboard', as }));
}

/**
 * The generated organisations have no trainer: the first one's account manager (rgc.org1) gets
 * kairos/trainer, on a generated database only.
 */
export async function grantGeneratedTrainer(db: Database): Promise<void> {
  await sql`insert into habilitation (account_id, organisation_id, application, role, granted_by)
    select a.id, a.organisation_id, 'kairos', 'trainer', null from account a where a.login = 'rgc.org1'
    and not exists (select 1 from habilitation h where h.account_id = a.id and h.application = 'kairos' and h.role = 'trainer')`.execute(db);
}

export interface Captured {
  text: string;
  values: unknown[];
}

/** Reads only: writes (sessions touched, audit rows) are not what grows with the data read. */
export async function readsOf<T>(work: () => Promise<T>): Promise<{ result: T; reads: Captured[] }> {
  const { result, statements } = await captureStatements(work);
  return { result, reads: statements.filter((s) => /^\s*(with|select)\b/i.test(s.text)) };
}

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Total Time'?: number;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

export async function explain(db: Database, statement: Captured, analyze = false): Promise<PlanNode> {
  const prefix = analyze ? 'explain (analyze, buffers, format json) ' : 'explain (format json) ';
  const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + statement.text, statement.values));
  const raw = Object.values(result.rows[0]!)[0];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>;
  return parsed[0]!.Plan;
}

/** Every node of a plan, depth first. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)];
}

/** Tables holding at least `rows` rows by the planner's statistics (run ANALYZE first). */
export async function largeTables(db: Database, rows: number): Promise<Map<string, number>> {
  const found = await sql<{ relname: string; reltuples: number }>`
    select c.relname, c.reltuples from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.reltuples >= ${rows}`.execute(db);
  return new Map(found.rows.map((r) => [r.relname, Number(r.reltuples)]));
}

/** The sequential scans of large tables in a plan, as "table" names. */
export function seqScansOf(plan: PlanNode, large: Map<string, number>): string[] {
  return planNodes(plan)
    .filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] !== undefined && large.has(n['Relation Name']))
    .map((n) => n['Relation Name']!);
}
