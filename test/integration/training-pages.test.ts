// The training follow-up pages without JavaScript: the list and a training's page with
// its forms (entry, month submission, withdrawal), the monthly grid (saved, refused with the
// summary linking to the cell), the CSV import form, the candidate's pages; sign-in redirect,
// 403 for other roles, 404 for another organisation's training.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { ManualClock } from '../../src/clock.js';
import { CSV_HEADER } from '../../src/modules/training/index.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, signInAs, type SignedIn } from '../helpers/session.js';
import { createTraining, grantKairosRole } from '../helpers/trainings.js';

async function multipart(fields: Record<string, string>, file?: { name: string; text: string }): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('fichier', new Blob([file.text], { type: 'text/csv' }), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

for (const engine of ENGINES) {
  describe(`training pages (${engine})`, () => {
    let rt: TestRuntime;
    const as: Record<string, SignedIn> = {};
    let a = '';
    let c = '';

    const get = (who: string | null, url: string) => rt.app.inject({ method: 'GET', url, headers: who ? { cookie: as[who].cookie } : {} });
    async function post(who: string, url: string, fields: Record<string, string>, from = url): Promise<LightMyRequestResponse> {
      const page = await get(who, from);
      const csrf = csrfFromHtml(page.body);
      return rt.app.inject({ method: 'POST', url, headers: { cookie: as[who].cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString() });
    }
    const attendance = async () => Number((await rt.ctx.db.selectFrom('attendance').select(sql<number>`count(*)`.as('n')).where('training_id', '=', a).executeTakeFirstOrThrow()).n);

    before(async () => {
      rt = await startTestRuntime(engine, { clock: new ManualClock('2026-03-04T08:00:00Z') });
      await grantKairosRole(rt.ctx.db, 'rgc.demo2', 'attendance_officer');
      a = (await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: '1234567A', startDate: '2026-03-02', endDate: '2026-03-31', session: 'SESS-P', at: rt.clock.now() })).id;
      c = (await createTraining(rt.ctx.db, { organisation: 'Atelier Compétences Démo', candidate: '7654321B', startDate: '2026-03-02', endDate: '2026-03-31', session: 'SESS-Q', at: rt.clock.now() })).id;
      for (const login of ['assiduite.demo', 'conseiller.demo', 'devis.demo', 'rgc.demo2', 'candidat.demo']) as[login] = await signInAs(rt.app, rt.clock, login);
    });
    after(() => rt?.stop());

    it('the list shows the organisation’s trainees; filters with a wrong month show the summary', async () => {
      const list = await get('assiduite.demo', '/kairos/formations');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Camille Martin \(1234567A\)/);
      assert.doesNotMatch(list.body, /7654321B/);
      const bad = await get('assiduite.demo', '/kairos/formations?month=2026-13');
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /id="resume-erreurs"[\s\S]*href="#month"/);
      const advisor = await get('conseiller.demo', '/kairos/formations');
      assert.match(advisor.body, /Alertes sur mes candidats/);
      assert.match(advisor.body, /1234567A/);
    });

    it('entry through the form: errors next to the field, then a notice', async () => {
      const wrong = await post('assiduite.demo', `/kairos/formations/${a}/entree`, { startDate: '2026-03-01' }, `/kairos/formations/${a}`);
      assert.equal(wrong.statusCode, 422);
      assert.match(wrong.body, /href="#entree-startDate"/);
      assert.match(wrong.body, /aria-invalid="true"[^>]*aria-describedby="entree-startDate-aide entree-startDate-erreur"|aria-describedby="entree-startDate-aide entree-startDate-erreur"/);
      const done = await post('assiduite.demo', `/kairos/formations/${a}/entree`, { startDate: '2026-03-02' }, `/kairos/formations/${a}`);
      assert.equal(done.statusCode, 303);
      const page = await get('assiduite.demo', done.headers.location as string);
      assert.match(page.body, /L’entrée en formation est déclarée/);
      assert.match(page.body, /id="statut">en cours/);
    });

    it('the grid: keyboard-labelled cells, saved in one go, totals per trainee; a refused cell is linked from the summary', async () => {
      const grid = await get('assiduite.demo', '/kairos/assiduite?session=SESS-P&mois=2026-03');
      assert.equal(grid.statusCode, 200);
      assert.match(grid.body, /aria-label="Camille Martin, lundi 2 mars, matin \(09:00–12:30\)"/);
      const cell = (date: string, p: string) => `c.${a}.${date}.${p}`;
      const saved = await post('assiduite.demo', '/kairos/assiduite', {
        session: 'SESS-P', mois: '2026-03',
        [cell('2026-03-02', 'am')]: 'present', [cell('2026-03-02', 'pm')]: 'late:15', [cell('2026-03-03', 'am')]: 'absent:sickness:1', [cell('2026-03-03', 'pm')]: '',
      }, '/kairos/assiduite?session=SESS-P&mois=2026-03');
      assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
      assert.equal(await attendance(), 3);
      const after = await get('assiduite.demo', saved.headers.location as string);
      assert.match(after.body, /La grille est enregistrée/);
      assert.match(after.body, /data-total="retards">1</);
      assert.match(after.body, /data-total="absences">1 \(0\)</);
      const refused = await post('assiduite.demo', '/kairos/assiduite', { session: 'SESS-P', mois: '2026-03', [cell('2026-03-04', 'am')]: 'present', [cell('2026-03-05', 'am')]: 'present' }, '/kairos/assiduite?session=SESS-P&mois=2026-03');
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, new RegExp(`href="#c-${a}-2026-03-05-am"`));
      assert.match(refused.body, /Camille Martin, 05\/03\/2026 matin : le 05\/03\/2026 est dans le futur/);
      assert.equal(await attendance(), 3, 'nothing stored');
    });

    it('the CSV import form works without JavaScript: count, or each refused line', async () => {
      const page = await get('assiduite.demo', '/kairos/assiduite/import');
      assert.match(page.body, /src="\/assets\/attendance-import.js"/);
      const send = async (file?: { name: string; text: string }) => {
        const { payload, contentType } = await multipart({ _csrf: csrfFromHtml(page.body) }, file);
        return rt.app.inject({ method: 'POST', url: '/kairos/assiduite/import', headers: { cookie: as['assiduite.demo'].cookie, 'content-type': contentType }, payload });
      };
      const bad = await send({ name: 'mars.csv', text: `${CSV_HEADER}\n1234567A;SESS-P;04/03/2026;matin;retard;;;\n1234567A;SESS-P;05/03/2026;matin;present;;;` });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /<td>2<\/td><td>minutes_retard<\/td>/);
      assert.match(bad.body, /<td>3<\/td><td>date<\/td>/);
      const ok = await send({ name: 'mars.csv', text: `${CSV_HEADER}\n1234567A;SESS-P;04/03/2026;matin;retard;10;;` });
      assert.equal(ok.statusCode, 200);
      assert.match(ok.body, /Import terminé : 1 demi-journée\(s\) enregistrée\(s\)/);
      assert.equal((await send()).statusCode, 422);
      const wrongToken = await multipart({ _csrf: 'x' }, { name: 'mars.csv', text: CSV_HEADER });
      const forged = await rt.app.inject({ method: 'POST', url: '/kairos/assiduite/import', headers: { cookie: as['assiduite.demo'].cookie, 'content-type': wrongToken.contentType }, payload: wrongToken.payload });
      assert.equal(forged.statusCode, 403);
    });

    it('month submission and withdrawal from the training page', async () => {
      rt.clock.set('2026-04-02T08:00:00Z');
      as['assiduite.demo'] = await signInAs(rt.app, rt.clock, 'assiduite.demo');
      const refused = await post('assiduite.demo', `/kairos/formations/${a}/transmission`, { month: '2026-03' }, `/kairos/formations/${a}`);
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /sans assiduité déclarée/);
      const cell = (date: string, p: string) => `c.${a}.${date}.${p}`;
      const grid = '/kairos/assiduite?session=SESS-P&mois=2026-03';
      assert.equal((await post('assiduite.demo', '/kairos/assiduite', { session: 'SESS-P', mois: '2026-03', [cell('2026-03-03', 'pm')]: 'present', [cell('2026-03-04', 'pm')]: 'absent:unjustified:0' }, grid)).statusCode, 303);
      const withdrawal = await post('assiduite.demo', `/kairos/formations/${a}/abandon`, { date: '2026-03-04', reason: 'personal', comment: 'Déménagement.' }, `/kairos/formations/${a}`);
      assert.equal(withdrawal.statusCode, 303, withdrawal.body.slice(0, 300));
      const submitted = await post('assiduite.demo', `/kairos/formations/${a}/transmission`, { month: '2026-03' }, `/kairos/formations/${a}`);
      assert.equal(submitted.statusCode, 303, submitted.body.slice(0, 300));
      const page = await get('assiduite.demo', `/kairos/formations/${a}`);
      assert.match(page.body, /Déposer le bilan de formation/);
      assert.match(page.body, new RegExp(`/api/v1/trainings/${a}/statements/2026-03.pdf`));
    });

    it('the candidate’s pages: their training, its calendar and documents; not another’s', async () => {
      as['candidat.demo'] = await signInAs(rt.app, rt.clock, 'candidat.demo');
      const list = await get('candidat.demo', '/mon-espace/formations');
      assert.match(list.body, new RegExp(`/mon-espace/formations/${a}`));
      const page = await get('candidat.demo', `/mon-espace/formations/${a}?mois=2026-03`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Mon assiduité de mars 2026/);
      assert.match(page.body, /<th scope="row">lundi 02\/03\/2026<\/th><td>présent<\/td><td>en retard \(15 min\)<\/td>/);
      assert.match(page.body, /État de présence de mars 2026 \(PDF\)/);
      assert.equal((await get('candidat.demo', `/mon-espace/formations/${c}`)).statusCode, 404);
    });

    it('pages need a session, the right role and the right organisation', async () => {
      for (const who of ['assiduite.demo', 'conseiller.demo', 'devis.demo', 'rgc.demo2', 'candidat.demo']) as[who] = await signInAs(rt.app, rt.clock, who);
      for (const url of ['/kairos/formations', `/kairos/formations/${a}`, '/kairos/assiduite', '/kairos/assiduite/import', '/mon-espace/formations']) {
        const anon = await get(null, url);
        assert.equal(anon.statusCode, 303, url);
        assert.match(String(anon.headers.location), /^\/connexion/);
        assert.equal((await get('devis.demo', url)).statusCode, 403, url);
      }
      assert.equal((await get('conseiller.demo', '/kairos/assiduite')).statusCode, 403, 'the grid is the organisation’s tool');
      assert.equal((await get('candidat.demo', '/kairos/formations')).statusCode, 403);
      const theirs = await get('rgc.demo2', `/kairos/formations/${a}`);
      assert.equal(theirs.statusCode, 404);
      assert.doesNotMatch(theirs.body, /Martin|1234567A/);
      const grid = await get('rgc.demo2', '/kairos/assiduite?session=SESS-P&mois=2026-03');
      assert.doesNotMatch(grid.body, /Martin|1234567A/);
      const forged = await post('rgc.demo2', `/kairos/formations/${a}/abandon`, { date: '2026-03-04', reason: 'health' }, '/kairos/formations');
      assert.equal(forged.statusCode, 404);
    });

    it('a malformed id is the unknown training’s 404 on pages and forms; a refused form shows again what was typed', async () => {
      assert.equal((await get('assiduite.demo', '/kairos/formations/pas-un-id')).statusCode, 404);
      assert.equal((await get('candidat.demo', '/mon-espace/formations/pas-un-id')).statusCode, 404);
      const forged = await post('assiduite.demo', '/kairos/formations/pas-un-id/abandon', { date: '2026-03-04', reason: 'health' }, '/kairos/formations');
      assert.equal(forged.statusCode, 404);
      assert.match(forged.body, /Cette formation est introuvable/);
      // Refused by the form's schema: each missing field is linked, the typed text is kept.
      const report = await post('assiduite.demo', `/kairos/formations/${a}/bilan`, { outcome: 'completed', skills: 'HTML et CSS' }, `/kairos/formations/${a}`);
      assert.equal(report.statusCode, 422);
      assert.match(report.body, /href="#bilan-certification"[\s\S]*href="#bilan-difficulties"/);
      assert.match(report.body, />HTML et CSS<\/textarea>/);
      // Refused by the service (before the agreed start): the typed date is kept too.
      const entry = await post('rgc.demo2', `/kairos/formations/${c}/entree`, { startDate: '2026-03-01' }, `/kairos/formations/${c}`);
      assert.equal(entry.statusCode, 422);
      assert.match(entry.body, /précéder le début convenu/);
      assert.match(entry.body, /value="2026-03-01"/);
    });
  });
}
