import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, signInAs } from '../helpers/session.js';
import { nextSiret } from '../helpers/onboarding.js';

function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

const validForm = (siret: string) => ({
  legalName: 'Organisme Formulaire',
  siret,
  nda: '11755555575',
  qualiopi: 'oui',
  qualiopiExpiry: '2099-12-31',
  address: '5 avenue du Formulaire, 33000 Bordeaux',
  'accountManager.lastName': 'Formulaire',
  'accountManager.firstName': 'Alex',
  'accountManager.email': 'alex.formulaire@organisme.example',
  'accountManager.phone': '+33 5 56 00 00 00',
});

for (const engine of ENGINES) {
  describe(`adhesion and review pages (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine, { env: { PUBLIC_FORM_RATE_LIMIT_PER_HOUR: '4' } });
    });
    after(async () => {
      await rt?.stop();
    });

    const requests = async () => (await rt.ctx.db.selectFrom('membership_request').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;

    async function formSession() {
      const page = await rt.app.inject({ url: '/adhesion', remoteAddress: '10.30.0.1' });
      assert.equal(page.statusCode, 200);
      const cookie = page.cookies.find((c) => c.name === 'kairos_csrf')!;
      return { csrf: csrfFromHtml(page.body), cookie: `${cookie.name}=${cookie.value}` };
    }
    const post = (cookie: string, fields: Record<string, string>, ip: string) =>
      rt.app.inject({ method: 'POST', url: '/adhesion', remoteAddress: ip, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: formBody(fields) });

    it('stores a valid request, refuses a missing CSRF token, ignores a filled honeypot, shows field errors', async () => {
      const { csrf, cookie } = await formSession();
      const before = await requests();
      assert.equal((await post(cookie, { ...validForm(nextSiret()) }, '10.30.0.2')).statusCode, 403, 'no CSRF token');
      const bot = await post(cookie, { ...validForm(nextSiret()), _csrf: csrf, site_web: 'http://spam.example' }, '10.30.0.3');
      assert.equal(bot.statusCode, 200);
      assert.match(bot.body, /bien été reçue/);
      assert.equal(await requests(), before, 'the honeypot stores nothing');
      const invalid = await post(cookie, { ...validForm('123'), qualiopiExpiry: '', _csrf: csrf }, '10.30.0.4');
      assert.equal(invalid.statusCode, 422);
      assert.match(invalid.body, /2 champs sont à corriger/);
      assert.match(invalid.body, /id="siret"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="siret"/);
      assert.match(invalid.body, /value="Organisme Formulaire"/);
      assert.equal(await requests(), before);
      const ok = await post(cookie, { ...validForm(nextSiret()), _csrf: csrf }, '10.30.0.5');
      assert.equal(ok.statusCode, 200);
      assert.match(ok.body, /bien été reçue/);
      assert.equal(await requests(), before + 1);
    });

    it('escapes what the visitor typed when showing the form again', async () => {
      const { csrf, cookie } = await formSession();
      const res = await post(cookie, { ...validForm('1'), legalName: '<script>alert(1)</script>', _csrf: csrf }, '10.30.1.1');
      assert.equal(res.statusCode, 422);
      assert.ok(!res.body.includes('<script>alert(1)</script>'));
      assert.ok(res.body.includes('&lt;script>alert(1)&lt;/script>') || res.body.includes('&lt;script&gt;'));
    });

    it('limits submissions per IP address and hour (429)', async () => {
      const { csrf, cookie } = await formSession();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await post(cookie, { ...validForm('1'), _csrf: csrf }, '10.30.2.1')).statusCode);
      assert.deepEqual(statuses, [422, 422, 422, 422, 429, 429]);
    });

    it('lets an agency administrator accept a request from its page and download the letters', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const rgc = await signInAs(rt.app, rt.clock, 'rgc.demo');
      assert.equal((await rt.app.inject({ url: '/admin/adhesions', headers: { cookie: rgc.cookie } })).statusCode, 403);
      assert.equal((await rt.app.inject({ url: '/admin/adhesions' })).statusCode, 303);
      const created = await rt.app.inject({ method: 'POST', url: '/api/v1/membership-requests', payload: { legalName: 'Organisme Page', siret: nextSiret(), nda: '11755555575', qualiopi: false, address: '1 rue de la Page, 59000 Lille', accountManager: { lastName: 'Page', firstName: 'Sam', email: 'sam.page@organisme.example', phone: '03 20 00 00 00' } } });
      const id = created.json().id;
      const list = await rt.app.inject({ url: '/admin/adhesions?statut=pending', headers: { cookie: admin.cookie } });
      assert.match(list.body, /Organisme Page/);
      const detail = await rt.app.inject({ url: `/admin/adhesions/${id}`, headers: { cookie: admin.cookie } });
      const accept = await rt.app.inject({
        method: 'POST',
        url: `/admin/adhesions/${id}/acceptation`,
        headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ _csrf: csrfFromHtml(detail.body) }),
      });
      assert.equal(accept.statusCode, 303);
      assert.equal(accept.headers.location, `/admin/adhesions/${id}?fait=acceptee`);
      await rt.worker.runDue();
      const after = await rt.app.inject({ url: accept.headers.location as string, headers: { cookie: admin.cookie } });
      assert.match(after.body, /Demande acceptée/);
      assert.match(after.body, /spage\.\d{4}/);
      const links = [...after.body.matchAll(/href="(\/admin\/courriers\/[0-9a-f-]+\/pdf)"/g)].map((m) => m[1]);
      assert.equal(links.length, 2);
      const pdf = await rt.app.inject({ url: links[0], headers: { cookie: admin.cookie } });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.rawPayload.subarray(0, 4).toString(), '%PDF');
      assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="KRS-\d{8}-[0-9A-F]{8}\.pdf"$/);
      assert.equal((await rt.app.inject({ url: links[0], headers: { cookie: rgc.cookie } })).statusCode, 403);
      assert.equal((await rt.app.inject({ url: '/admin/courriers/pas-un-id/pdf', headers: { cookie: admin.cookie } })).statusCode, 404);
      assert.equal((await rt.app.inject({ url: '/admin/adhesions/pas-un-id', headers: { cookie: admin.cookie } })).statusCode, 404);
    });

    it('refuses a request from its page: a too short reason is named and nothing is decided', async () => {
      const admin = await signInAs(rt.app, rt.clock, 'admin.agence');
      const created = await rt.app.inject({ method: 'POST', url: '/api/v1/membership-requests', payload: { legalName: 'Organisme Refus', siret: nextSiret(), nda: '11755555575', qualiopi: false, address: '2 rue du Refus, 59000 Lille', accountManager: { lastName: 'Refus', firstName: 'Max', email: 'max.refus@organisme.example', phone: '03 20 00 00 01' } } });
      const id = created.json().id;
      const detail = await rt.app.inject({ url: `/admin/adhesions/${id}`, headers: { cookie: admin.cookie } });
      const refuse = (url: string, reason: string) =>
        rt.app.inject({ method: 'POST', url, headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: formBody({ _csrf: csrfFromHtml(detail.body), reason }) });
      const short = await refuse(`/admin/adhesions/${id}/refus`, ' non ');
      assert.equal(short.statusCode, 422);
      assert.match(short.body, /Motif : au moins 5 caractères/);
      assert.equal((await refuse('/admin/adhesions/pas-un-id/refus', 'Dossier incomplet.')).statusCode, 404);
      assert.equal((await refuse('/admin/adhesions/00000000-0000-4000-8000-000000000000/refus', 'Dossier incomplet.')).statusCode, 404);
      const still = await rt.app.inject({ url: `/api/v1/membership-requests/${id}`, headers: admin.headers });
      assert.equal(still.json().status, 'pending');
      const done = await refuse(`/admin/adhesions/${id}/refus`, 'Dossier incomplet.');
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, `/admin/adhesions/${id}?fait=refusee`);
    });

    it('the activation page is public and refuses a wrong code with the generic message', async () => {
      const page = await rt.app.inject({ url: '/activation', remoteAddress: '10.30.3.1' });
      assert.equal(page.statusCode, 200);
      const cookie = page.cookies.find((c) => c.name === 'kairos_csrf')!;
      const res = await rt.app.inject({
        method: 'POST',
        url: '/activation',
        remoteAddress: '10.30.3.1',
        headers: { cookie: `${cookie.name}=${cookie.value}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ _csrf: csrfFromHtml(page.body), login: 'rgc.demo', activationCode: 'AAAA-BBBB-CCCC', password: 'Une-phrase-quelconque-2026' }),
      });
      assert.equal(res.statusCode, 401);
      assert.match(res.body, /Identifiant ou code d’activation incorrect, déjà utilisé ou expiré/);
    });
  });
}
