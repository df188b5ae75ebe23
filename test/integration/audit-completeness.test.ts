// Audit completeness (docs/product/security.md#audit-log): every state-changing route and every
// view of a candidate's personal data, performed once as an allowed demo actor, must leave an audit
// row with the expected action, naming the actor (and the target), written by that very request
// (matched by its request id). The routes come from the route table: a new one fails the test until
// it is declared in audit-operations.ts. When AUDIT_KEEP_DATABASE_URL is set (CI), the PostgreSQL
// run writes into that database and leaves it, for `npm run audit:verify` to check the chain after.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../src/db/database.js';
import { isStateChanging } from '../../src/http/csrf.js';
import { verifyAuditChain } from '../../src/modules/audit/service.js';
import { runAccessReviewSweep } from '../../src/modules/habilitations/index.js';
import { AuditWorld } from '../helpers/audit-world.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { NOT_VIEWS, OPERATIONS, VIEWS, type Performed } from './audit-operations.js';

const KEEP_URL = process.env.AUDIT_KEEP_DATABASE_URL;
const engines: Engine[] = KEEP_URL && !ENGINES.includes('postgres') ? [...ENGINES, 'postgres'] : ENGINES;
const DAY = 86_400_000;

const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
/** The gist of a refusal: a problem's JSON, or the text of an error page's main content. */
const excerpt = (body: string) => (/<main[\s\S]*<\/main>/.exec(body)?.[0] ?? body).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 600);

for (const engine of engines) {
  describe(`audit completeness (${engine})`, () => {
    let rt: TestRuntime;
    let w: AuditWorld;
    let attachmentsDir = '';

    before(async () => {
      attachmentsDir = await mkdtemp(path.join(tmpdir(), 'kairos-audit-'));
      rt = await startTestRuntime(engine, {
        databaseUrl: engine === 'postgres' ? KEEP_URL : undefined,
        env: {
          ATTACHMENTS_DIR: attachmentsDir,
          // Many accounts, grants and public forms from one address; sessions kept for the whole run.
          ACCOUNT_CREATIONS_PER_DAY: '10000',
          HABILITATION_GRANTS_PER_DAY: '10000',
          PUBLIC_FORM_RATE_LIMIT_PER_HOUR: '10000',
          SESSION_IDLE_MINUTES: '1440',
          SESSION_ABSOLUTE_HOURS: '72',
          ACCESS_REVIEW_DAYS: '1',
          ACCOUNT_INACTIVITY_DAYS: '3650', // the sweep below opens the review; it must not suspend dormant demo accounts
          LOG_LEVEL: 'warn',
        },
      });
      // Two days on, organisation A's access review is open: its decisions can be recorded.
      rt.clock.advance(2 * DAY);
      await runAccessReviewSweep(rt.ctx);
      w = await new AuditWorld(rt).init();
    });
    after(async () => {
      await rt?.stop();
      await rm(attachmentsDir, { recursive: true, force: true });
    });

    /** What is wrong with the audit rows `done.res`'s request wrote, if anything. */
    async function auditProblems(what: string, expected: readonly string[], done: Performed): Promise<string[]> {
      const { res } = done;
      if (res.statusCode >= 400) return [`${what}: answered ${res.statusCode} ${excerpt(res.body)}`];
      const requestId = String(res.headers['x-request-id'] ?? '');
      const rows = await rt.ctx.db.selectFrom('audit_log').selectAll().where('request_id', '=', requestId).orderBy('id').execute();
      const actorId = done.actor ? await w.accountId(done.actor) : null;
      const found: string[] = [];
      for (const [i, action] of expected.entries()) {
        const row = rows.find((r) => r.action === action);
        if (!row) {
          found.push(`${what}: no « ${action} » row (request ${requestId} wrote ${rows.map((r) => r.action).join(', ') || 'nothing'})`);
          continue;
        }
        if (row.actor_id !== actorId) found.push(`${what}: « ${action} » names actor ${row.actor_login ?? 'nobody'}, expected ${done.actor ?? 'nobody'}`);
        if (row.ip === null) found.push(`${what}: « ${action} » has no IP address`);
        const target = i === 0 ? done.target : undefined;
        if (target && (row.target_type !== target.type || (target.id !== undefined && row.target_id !== target.id))) {
          found.push(`${what}: « ${action} » is about ${row.target_type}/${row.target_id}, expected ${target.type}/${target.id ?? '*'}`);
        }
      }
      return found;
    }

    it('declares every state-changing route, and only registered ones', () => {
      const changing = rt.app.routeTable.filter((r) => isStateChanging(r.method)).map(routeKey);
      assert.ok(changing.length > 80, `only ${changing.length} state-changing routes`);
      const missing = changing.filter((k) => !(k in OPERATIONS));
      assert.deepEqual(missing, [], `state-changing routes missing from test/integration/audit-operations.ts (OPERATIONS):\n${missing.join('\n')}`);
      const stale = Object.keys(OPERATIONS).filter((k) => !changing.includes(k));
      assert.deepEqual(stale, [], `OPERATIONS entries naming no registered route:\n${stale.join('\n')}`);
    });

    it('classifies every GET route: a view of a candidate’s data (audited) or, with the reason, not one', () => {
      const reads = rt.app.routeTable.filter((r) => r.method === 'GET').map(routeKey);
      const missing = reads.filter((k) => !(k in VIEWS) && !(k in NOT_VIEWS));
      assert.deepEqual(missing, [], `GET routes in neither VIEWS nor NOT_VIEWS (test/integration/audit-operations.ts):\n${missing.join('\n')}`);
      const both = Object.keys(VIEWS).filter((k) => k in NOT_VIEWS);
      assert.deepEqual(both, [], 'routes declared both a view and not a view');
      const stale = [...Object.keys(VIEWS), ...Object.keys(NOT_VIEWS)].filter((k) => !reads.includes(k));
      assert.deepEqual(stale, [], `entries naming no registered GET route:\n${stale.join('\n')}`);
    });

    it('records each state-changing operation, by its actor, in the request that made it', async () => {
      const failures: string[] = [];
      let performed = 0;
      for (const [key, op] of Object.entries(OPERATIONS)) {
        if ('exempt' in op) continue;
        try {
          failures.push(...(await auditProblems(key, op.audit, await op.run(w))));
          performed += 1;
        } catch (err) {
          failures.push(`${key}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      assert.ok(performed > 80, `only ${performed} operations performed`);
      assert.deepEqual(failures, [], `${failures.length} operation(s) not audited as declared:\n${failures.join('\n')}`);
    });

    it('records each view or export of a candidate’s personal data by someone else than the candidate', async () => {
      const failures: string[] = [];
      for (const [key, views] of Object.entries(VIEWS)) {
        for (const view of views) {
          try {
            const done = await view.run(w);
            failures.push(...(await auditProblems(`${key} as ${done.actor}`, [view.audit], done)));
          } catch (err) {
            failures.push(`${key}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      }
      assert.deepEqual(failures, [], `${failures.length} view(s) not audited as declared:\n${failures.join('\n')}`);
    });

    it('leaves an audit chain that verifies', async () => {
      const verdict = await verifyAuditChain(rt.ctx.db);
      assert.ok(verdict.ok, JSON.stringify(verdict));
      assert.ok(verdict.rows > 300, `only ${verdict.rows} rows`);
    });
  });
}
