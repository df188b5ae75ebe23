// Exports at their limits: beyond EXPORT_MAX_ROWS an export is refused with a French 422 (nothing
// counted, nothing audited); and one export of N trainees counts as N exports for bulk-access
// detection, so past the export threshold the account is suspended before anything is sent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { addDays } from '../../src/modules/quotes/rules/holidays.js';
import { apiCall, signInEach } from '../helpers/fixtures.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import type { SignedIn } from '../helpers/session.js';
import { createCandidate, createTraining } from '../helpers/trainings.js';

const MAX_ROWS = 10;
const EXPORT_THRESHOLD = 5;

for (const engine of ENGINES) {
  describe(`exports at their limits (${engine})`, () => {
    let rt: TestRuntime;
    let as: Record<string, SignedIn>;
    const get = (who: string, url: string) => apiCall(rt.app, as[who]!, 'GET', url);
    const audited = async () => (await rt.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'data.exported').execute()).length;
    const status = async (login: string) => (await rt.ctx.db.selectFrom('account').select('status').where('login', '=', login).executeTakeFirstOrThrow()).status;

    before(async () => {
      rt = await startTestRuntime(engine, { env: { EXPORT_MAX_ROWS: String(MAX_ROWS), BULK_EXPORT_THRESHOLD_PER_HOUR: String(EXPORT_THRESHOLD) } });
      as = await signInEach(rt, ['devis.demo', 'assiduite.demo']);
      const start = addDays(parisDay(rt.clock.now()), 10);
      // 12 trainees of A: 8 in one session, 4 in another.
      for (let i = 0; i < 12; i++) {
        const identifier = `${String(8_700_000 + i)}L`;
        await createCandidate(rt.ctx.db, identifier, `Limite${i}`);
        await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: identifier, startDate: start, endDate: addDays(start, 30), session: i < 8 ? 'SE_LIMIT_0001' : 'SE_LIMIT_0002' });
      }
    });
    after(() => rt?.stop());

    it('more rows than the cap: 422 in French, nothing sent, counted or audited', async () => {
      for (const url of ['/api/v1/exports/quotes.csv', '/api/v1/exports/quotes.xlsx']) {
        const res = await get('devis.demo', url);
        assert.equal(res.statusCode, 422, res.body.slice(0, 200));
        assert.match(res.json().detail, /Export trop volumineux : il dépasse 10 lignes/);
        assert.doesNotMatch(res.body, /Limite/);
      }
      assert.equal(await audited(), 0);
      const counted = await rt.ctx.db.selectFrom('candidate_access').select('candidate_id').execute();
      assert.equal(counted.length, 0, 'nothing counted for bulk-access detection');
      const within = await get('devis.demo', '/api/v1/exports/quotes.csv?q=Limite1');
      assert.equal(within.statusCode, 200, 'under the cap with a filter');
      assert.equal(await audited(), 1);
    });

    it('one export of 8 trainees trips an export threshold of 5: suspended, refused, nothing of them sent', async () => {
      assert.equal((await get('assiduite.demo', '/api/v1/exports/trainings.csv?session=SE_LIMIT_0002')).statusCode, 200, '4 trainees: under the threshold');
      const before = await audited();
      const res = await get('assiduite.demo', '/api/v1/exports/trainings.xlsx?session=SE_LIMIT_0001');
      assert.equal(res.statusCode, 403);
      assert.match(res.json().detail, /suspendu par mesure de sécurité/);
      assert.doesNotMatch(res.body, /Limite/);
      assert.equal(await status('assiduite.demo'), 'suspended');
      const alert = await rt.ctx.db.selectFrom('security_alert').select('details').executeTakeFirstOrThrow();
      assert.equal((alert.details as { kind: string }).kind, 'export');
      assert.equal(await audited(), before, 'a refused export is not recorded as made');
      assert.equal((await get('assiduite.demo', '/api/v1/exports/trainings.csv?session=SE_LIMIT_0002')).statusCode, 401, 'its sessions ended');
    });
  });
}
