// Privacy rights: the notice (/confidentialite, linked from every footer) and the candidate's
// download of everything held about them, as JSON and as a PDF, both audited; candidates only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_TOTP_SECRET } from '../../src/demo/accounts.js';
import { dataExportSchema } from '../../src/modules/candidates/export-schemas.js';
import { pdfText } from '../helpers/pdf.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';
import { createTraining } from '../helpers/trainings.js';

for (const engine of ENGINES) {
  describe(`privacy notice and data export (${engine})`, () => {
    let rt: TestRuntime;
    let camille: SignedIn;
    let ines: SignedIn;
    let trainingId = '';
    before(async () => {
      rt = await startTestRuntime(engine);
      trainingId = (await createTraining(rt.ctx.db, { at: rt.clock.now(), organisation: 'Formapro Démo', candidate: '1234567A', startDate: '2026-03-02', endDate: '2026-04-30', session: 'SESS-EXPORT' })).id;
      camille = await signInAs(rt.app, rt.clock, 'candidat.demo');
      ines = await signInAs(rt.app, rt.clock, 'candidat.demo2');
    });
    after(() => rt?.stop());

    const exportsOf = async (format: string) =>
      (await rt.ctx.db.selectFrom('audit_log').select(['actor_login', 'details']).where('action', '=', 'candidate.data_exported').execute())
        .filter((r) => (r.details as { format: string }).format === format);

    it('the privacy notice is public, in French, with the configured retention and the operator as controller', async () => {
      const res = await rt.app.inject({ method: 'GET', url: '/confidentialite' });
      assert.equal(res.statusCode, 200);
      for (const text of ['Confidentialité et données personnelles', 'Base légale', 'Durées de conservation', 'Vos droits', 'CNIL', rt.ctx.config.operatorName, rt.ctx.config.operatorAddress, `${rt.ctx.config.retention.auditDays} jours`, `${rt.ctx.config.retention.dossierYears} ans après le dernier bilan`]) {
        assert.ok(res.body.includes(text), text);
      }
    });

    it('every page’s footer links to it, signed in or not', async () => {
      for (const [url, headers] of [['/connexion', {}], ['/aide', {}], ['/mon-espace', { cookie: camille.cookie }]] as const) {
        const res = await rt.app.inject({ method: 'GET', url, headers });
        assert.equal(res.statusCode, 200, url);
        assert.match(res.body, /<footer[\s\S]*href="\/confidentialite"[\s\S]*<\/footer>/, url);
      }
    });

    it('the candidate’s space offers both downloads', async () => {
      const res = await rt.app.inject({ method: 'GET', url: '/mon-espace', headers: { cookie: camille.cookie } });
      assert.match(res.body, /id="mes-donnees"/);
      assert.match(res.body, /href="\/api\/v1\/me\/data-export"/);
      assert.match(res.body, /href="\/api\/v1\/me\/data-export.pdf"/);
    });

    it('JSON: everything held about the candidate, in the declared schema, nobody else’s; audited', async () => {
      const before = (await exportsOf('json')).length;
      const res = await rt.app.inject({ method: 'GET', url: '/api/v1/me/data-export', headers: { cookie: camille.cookie } });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['cache-control']), /no-store/);
      const data = dataExportSchema.parse(res.json());
      assert.equal(data.candidate?.identifier, '1234567A');
      assert.equal(data.candidate?.lastName, 'Martin');
      assert.equal(data.account.login, 'candidat.demo');
      assert.ok(data.quotes.length >= 1 && data.quotes.every((q) => q.history.length >= 0));
      assert.ok(data.trainings.some((t) => t.id === trainingId && t.carifOrefSession === 'SESS-EXPORT'));
      assert.ok(data.auditEvents.some((e) => e.action === 'sign_in.succeeded' && e.byYou), 'their own sign-ins');
      assert.ok(!res.body.includes('7654321B') && !res.body.includes('Bernard'), 'nothing of another candidate');
      const sealed = await rt.ctx.db.selectFrom('account').select(['password_hash', 'totp_secret_sealed']).where('login', '=', 'candidat.demo').executeTakeFirstOrThrow();
      for (const secret of [sealed.password_hash!, DEMO_TOTP_SECRET, ...(sealed.totp_secret_sealed ? [sealed.totp_secret_sealed] : [])]) assert.ok(!res.body.includes(secret), 'no secret');
      const rows = await exportsOf('json');
      assert.equal(rows.length, before + 1);
      assert.equal(rows.at(-1)!.actor_login, 'candidat.demo');
    });

    it('another candidate gets their own data only', async () => {
      const res = await rt.app.inject({ method: 'GET', url: '/api/v1/me/data-export', headers: { cookie: ines.cookie } });
      assert.equal(res.statusCode, 200);
      const data = dataExportSchema.parse(res.json());
      assert.equal(data.candidate?.identifier, '7654321B');
      assert.ok(!res.body.includes('1234567A') && !res.body.includes('Martin') && !res.body.includes(trainingId));
    });

    it('PDF: a valid PDF with the candidate’s name; audited', async () => {
      const before = (await exportsOf('pdf')).length;
      const res = await rt.app.inject({ method: 'GET', url: '/api/v1/me/data-export.pdf', headers: { cookie: camille.cookie } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/pdf');
      assert.equal(res.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.match(res.rawPayload.subarray(-8).toString('latin1'), /%%EOF\s*$/);
      const text = await pdfText(res.rawPayload);
      assert.match(text, /Camille Martin/);
      assert.match(text, /1234567A/);
      assert.equal((await exportsOf('pdf')).length, before + 1);
    });

    it('not signed in: 401; staff: 403; an unexpected query parameter: 422; nothing audited', async () => {
      const advisor = await signInAs(rt.app, rt.clock, 'conseiller.demo');
      const count = async () => (await exportsOf('json')).length + (await exportsOf('pdf')).length;
      const before = await count();
      for (const url of ['/api/v1/me/data-export', '/api/v1/me/data-export.pdf']) {
        assert.equal((await rt.app.inject({ method: 'GET', url })).statusCode, 401, url);
        const staff = await rt.app.inject({ method: 'GET', url, headers: { cookie: advisor.cookie } });
        assert.equal(staff.statusCode, 403, url);
        assert.ok(!staff.body.includes('Martin'));
        const bad = await rt.app.inject({ method: 'GET', url: `${url}?candidat=7654321B`, headers: { cookie: camille.cookie } });
        assert.equal(bad.statusCode, 422, url);
        assert.match(bad.body, /candidat/);
      }
      assert.equal(await count(), before);
    });
  });
}
