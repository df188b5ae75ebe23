// The bulk-access counts are written without making one row the hottest of the database: a
// candidate read again within a minute keeps its row untouched (no new version, no lock held
// until a flush), a read after that minute moves the row's time, and the count of distinct
// candidates is the same either way.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCESS_REFRESH_SECONDS, recordAccessAndCount } from '../../src/modules/security/repository.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';

for (const engine of ENGINES) {
  describe(`candidate access counts (${engine})`, () => {
    let rt: TestRuntime;
    let accountId = '';
    const candidates: string[] = [];
    before(async () => {
      rt = await startTestRuntime(engine);
      accountId = (await rt.ctx.db.selectFrom('account').select('id').where('login', '=', 'devis.demo').executeTakeFirstOrThrow()).id;
      const now = rt.clock.now();
      const rows = await rt.ctx.db
        .insertInto('candidate')
        .values([0, 1].map((i) => ({ identifier: `${6_100_000 + i}K`, last_name: `Lu${i}`, first_name: 'Test', birth_date: '1990-02-02', email: `lu${i}@example.test`, created_at: now })))
        .returning('id')
        .execute();
      candidates.push(...rows.map((r) => r.id));
    });
    after(() => rt?.stop());

    const read = (ids: string[]) => {
      const at = rt.clock.now();
      return recordAccessAndCount(rt.ctx.db, { accountId, candidateIds: ids, kinds: ['read'], at, since: new Date(at.getTime() - 3_600_000) });
    };
    const rowTime = async (candidateId: string) =>
      (await rt.ctx.db.selectFrom('candidate_access').select('at').where('account_id', '=', accountId).where('candidate_id', '=', candidateId).where('kind', '=', 'read').executeTakeFirstOrThrow()).at.getTime();

    it('keeps the time of a read repeated within the refresh delay, and moves it afterwards', async () => {
      const first = rt.clock.now().getTime();
      assert.equal((await read([candidates[0]!])).read, 1);
      rt.clock.advance((ACCESS_REFRESH_SECONDS / 2) * 1000);
      assert.equal((await read([candidates[0]!])).read, 1, 'the same candidate counts once');
      assert.equal(await rowTime(candidates[0]!), first, 'row left as it was');

      rt.clock.advance(ACCESS_REFRESH_SECONDS * 1000);
      assert.equal((await read([candidates[0]!, candidates[1]!])).read, 2);
      assert.equal(await rowTime(candidates[0]!), rt.clock.now().getTime(), 'row moved to the later read');
      assert.equal(await rowTime(candidates[1]!), rt.clock.now().getTime());
    });

    it('forgets a candidate an hour after its last recorded read', async () => {
      rt.clock.advance(3_600_000 + 1_000);
      assert.equal((await read([candidates[1]!])).read, 1, 'only the candidate read now');
    });
  });
}
