// Group commit of audited reads (docs/decisions/0051-audited-reads-group-commit.md): concurrent
// staff reads are counted and audited in batches, one statement per batch, with exactly the
// semantics of one statement per read: one audit row per view, the chain intact, the same counts,
// and past the threshold the account suspended and the reads beyond it refused and not audited.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyAuditChain } from '../../src/modules/audit/service.js';
import { countQueries } from '../helpers/query-counter.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

const identifier = (i: number) => `${String(6_000_000 + i)}Z`;

async function seedCandidates(rt: TestRuntime, n: number): Promise<void> {
  const now = rt.clock.now();
  await rt.ctx.db
    .insertInto('candidate')
    .values(Array.from({ length: n }, (_, i) => ({ identifier: identifier(i), last_name: `Nom${i}`, first_name: 'Test', birth_date: '1991-01-01', email: `g${i}@example.test`, created_at: now })))
    .execute();
}

const read = (rt: TestRuntime, who: SignedIn, i: number) => rt.app.inject({ method: 'GET', url: `/api/v1/candidates/${identifier(i)}`, headers: who.headers });

const viewsBy = async (rt: TestRuntime, login: string) =>
  (await rt.ctx.db.selectFrom('audit_log').select(['target_id']).where('action', '=', 'candidate.viewed').where('actor_login', '=', login).execute()).map((r) => r.target_id);

const accessCounts = async (rt: TestRuntime, login: string) => {
  const account = await rt.ctx.db.selectFrom('account').select('id').where('login', '=', login).executeTakeFirstOrThrow();
  return (await rt.ctx.db.selectFrom('candidate_access').select('candidate_id').where('account_id', '=', account.id).where('kind', '=', 'read').execute()).length;
};

for (const engine of ENGINES) {
  describe(`audited reads in batches (${engine})`, () => {
    let rt: TestRuntime;
    const as: Record<string, SignedIn> = {};
    before(async () => {
      rt = await startTestRuntime(engine);
      await seedCandidates(rt, 20);
      // A second advisor: the agency's administrator is given the role for the test.
      const admin = await rt.ctx.db.selectFrom('account').select(['id', 'organisation_id']).where('login', '=', 'admin.agence').executeTakeFirstOrThrow();
      await rt.ctx.db.insertInto('habilitation').values({ account_id: admin.id, organisation_id: admin.organisation_id!, application: 'kairos', role: 'advisor', granted_by: null }).execute();
      for (const login of ['conseiller.demo', 'admin.agence']) as[login] = await signInAs(rt.app, rt.clock, login);
    });
    after(() => rt?.stop());

    it('concurrent reads by two accounts: one audit row per read, the chain verifies, the counts match a sequential run', async () => {
      // 20 reads at once: each account reads candidates 0–9, so the two accounts interleave.
      const reads = Array.from({ length: 20 }, (_, k) => ({ who: k % 2 === 0 ? 'conseiller.demo' : 'admin.agence', i: Math.floor(k / 2) }));
      const { result, statements } = await countQueries(() => Promise.all(reads.map((r) => read(rt, as[r.who]!, r.i))));
      for (const res of result) assert.equal(res.statusCode, 200, res.body);
      const guards = statements.filter((s) => /\bguard_reads\(/.test(s)).length;
      assert.ok(guards >= 1 && guards < reads.length, `${guards} guard statements for ${reads.length} concurrent reads: they are batched`);
      for (const login of ['conseiller.demo', 'admin.agence']) {
        const viewed = await viewsBy(rt, login);
        assert.equal(viewed.length, 10, `${login}: one audit row per read`);
        assert.equal(new Set(viewed).size, 10);
        assert.equal(await accessCounts(rt, login), 10, `${login}: 10 distinct candidates counted`);
      }
      assert.deepEqual(await verifyAuditChain(rt.ctx.db), { ok: true, rows: (await rt.ctx.db.selectFrom('audit_log').select('id').execute()).length });

      // The same reads one after the other (the same candidates again, within the refresh delay) add
      // one audit row each and no count: what the concurrent run left is what a sequential one leaves.
      for (const r of reads) assert.equal((await read(rt, as[r.who]!, r.i)).statusCode, 200);
      for (const login of ['conseiller.demo', 'admin.agence']) {
        assert.equal((await viewsBy(rt, login)).length, 20);
        assert.equal(await accessCounts(rt, login), 10);
      }
      assert.equal((await verifyAuditChain(rt.ctx.db)).ok, true);
    });

    it('a read alone costs one guard statement, as before batching', async () => {
      const { result, statements } = await countQueries(() => read(rt, as['conseiller.demo']!, 11));
      assert.equal(result.statusCode, 200);
      assert.equal(statements.filter((s) => /\bguard_reads\(/.test(s)).length, 1);
    });
  });

  describe(`audited reads in batches past the threshold (${engine})`, () => {
    const THRESHOLD = 5;
    let rt: TestRuntime;
    let advisor: SignedIn;
    before(async () => {
      rt = await startTestRuntime(engine, { env: { BULK_ACCESS_THRESHOLD_PER_HOUR: String(THRESHOLD) } });
      await seedCandidates(rt, 12);
      advisor = await signInAs(rt.app, rt.clock, 'conseiller.demo');
    });
    after(() => rt?.stop());

    it('12 distinct candidates read at once: the account is suspended, the reads within are audited, those past it refused and not audited', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => read(rt, advisor, i)));
      const served = results.filter((r) => r.statusCode === 200);
      const refused = results.filter((r) => r.statusCode === 403);
      assert.equal(served.length, THRESHOLD, results.map((r) => r.statusCode).join(','));
      assert.equal(refused.length, 12 - THRESHOLD);
      for (const r of refused) assert.doesNotMatch(r.body, /Nom\d/, 'nothing of the candidate is returned');
      const viewed = new Set(await viewsBy(rt, 'conseiller.demo'));
      const servedIdentifiers = served.map((r) => (r.json() as { identifier: string }).identifier);
      const servedIds = (await rt.ctx.db.selectFrom('candidate').select('id').where('identifier', 'in', servedIdentifiers).execute()).map((c) => c.id);
      assert.equal(servedIds.length, THRESHOLD);
      assert.deepEqual([...viewed].sort(), [...servedIds].sort(), 'exactly the reads served are audited');
      assert.equal((await viewsBy(rt, 'conseiller.demo')).length, THRESHOLD);
      const account = await rt.ctx.db.selectFrom('account').select('status').where('login', '=', 'conseiller.demo').executeTakeFirstOrThrow();
      assert.equal(account.status, 'suspended');
      assert.equal((await rt.ctx.db.selectFrom('security_alert').select('id').execute()).length, 1, 'one alert, raised by the read that suspended');
      assert.equal((await verifyAuditChain(rt.ctx.db)).ok, true);
    });
  });
}
