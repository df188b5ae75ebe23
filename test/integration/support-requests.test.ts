// Support requests: creation with screenshots checked by content,
// replies and statuses, the agents' queue, downloads, the pages, and who may see what (another
// user's or organisation's request and its files are a 404), with the audit of each step.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { MAIL_JOB } from '../../src/mail/mailer.js';
import { verifyAuditChain } from '../../src/modules/audit/service.js';
import { MAX_SCREENSHOT_BYTES } from '../../src/modules/support/requests/files.js';
import { HTML_AS_PNG, SVG_AS_PNG, jpegHeader, pngOfSize, tinyPng, tinyWebp } from '../../src/modules/support/requests/test-images.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, signInAs, type SignedIn } from '../helpers/session.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const DAY = 86_400_000;
const VALID = { category: 'devis', subject: 'Erreur à l’envoi d’un devis', description: 'Le bouton Envoyer affiche une erreur depuis ce matin.' };

type FileSpec = { name: string; data: Buffer; type?: string; field?: string };

/** A multipart body as a browser builds it (Node's FormData encoder). */
async function multipart(fields: Record<string, string>, files: FileSpec[] = []): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(f.field ?? 'screenshots', new Blob([new Uint8Array(f.data)], { type: f.type ?? 'image/png' }), f.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

for (const engine of ENGINES) {
  describe(`support requests (${engine})`, () => {
    let rt: TestRuntime;
    let dir = '';
    const as: Record<string, SignedIn> = {};
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'kairos-attachments-'));
      rt = await startTestRuntime(engine, { env: { ATTACHMENTS_DIR: dir } });
      await signInAll();
    });
    after(async () => {
      await rt?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    /** Fresh sessions, after the clock has moved past their lifetime. */
    async function signInAll() {
      for (const login of ['devis.demo', 'rgc.demo', 'devis.demo2', 'support.demo', 'candidat.demo', 'conseiller.demo']) as[login] = await signInAs(rt.app, rt.clock, login);
    }
    const api = (who: string | null, method: 'GET' | 'POST', url: string, payload?: object) =>
      rt.app.inject({ method, url, headers: who ? as[who]!.headers : {}, ...(payload ? { payload } : {}) });
    async function upload(who: string | null, fields: Record<string, string>, files: FileSpec[] = [], headers: Record<string, string> = who ? as[who]!.headers : {}) {
      const { payload, contentType } = await multipart(fields, files);
      return rt.app.inject({ method: 'POST', url: '/api/v1/support-requests', payload, headers: { ...headers, 'content-type': contentType } });
    }
    const count = async (table: 'support_request' | 'support_attachment' | 'support_message') =>
      Number((await rt.ctx.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const stored = async () => (await readdir(dir).catch(() => [])).length;
    const audits = async (action: string, target: string) =>
      rt.ctx.db.selectFrom('audit_log').select(['actor_login', 'details', 'organisation_id']).where('action', '=', action).where('target_id', '=', target).orderBy('id').execute();
    const mailsTo = async (to: string) =>
      (await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', MAIL_JOB).orderBy('id').execute())
        .map((r) => r.payload as unknown as { to: string; subject: string; text: string })
        .filter((m) => m.to === to);
    async function create(who = 'devis.demo', files: FileSpec[] = []): Promise<string> {
      const res = await upload(who, VALID, files);
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id;
    }
    /** Nothing was stored by a refused call: same rows, same files. */
    async function nothingStored(call: () => Promise<LightMyRequestResponse>, status: number) {
      const before = [await count('support_request'), await count('support_attachment'), await stored()];
      const res = await call();
      assert.equal(res.statusCode, status, res.body);
      assert.deepEqual([await count('support_request'), await count('support_attachment'), await stored()], before);
      return res;
    }

    it('creates a request with screenshots: 201 {id, status}, files under random names, audited', async () => {
      const ref = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
      const res = await upload('devis.demo', { ...VALID, steps: '1. Devis\n2. Envoyer', errorReference: ref.toUpperCase() }, [
        { name: 'écran 1.png', data: tinyPng() },
        { name: 'photo.webp', data: tinyWebp(), type: 'image/webp' },
        { name: 'scan.jpeg', data: jpegHeader(), type: 'image/jpeg' },
      ]);
      assert.equal(res.statusCode, 201, res.body);
      const { id, status, ...rest } = res.json();
      assert.equal(status, 'open');
      assert.deepEqual(rest, {});
      assert.equal(res.headers.location, `/api/v1/support-requests/${id}`);
      const files = await readdir(dir);
      assert.equal(files.length, 3);
      for (const f of files) assert.match(f, /^[0-9a-f-]{36}$/, 'random name, nothing from the client');
      const view = (await api('devis.demo', 'GET', `/api/v1/support-requests/${id}`)).json();
      assert.equal(view.errorReference, ref);
      assert.equal(view.steps, '1. Devis\n2. Envoyer');
      assert.deepEqual(view.attachments.map((a: { fileName: string; mediaType: string }) => [a.fileName, a.mediaType]), [
        ['écran 1.png', 'image/png'],
        ['photo.webp', 'image/webp'],
        ['scan.jpg', 'image/jpeg'],
      ]);
      assert.equal(view.requester.login, undefined, 'the requester is not shown their own login');
      const [row] = await audits('support_request.created', id);
      assert.equal(row!.actor_login, 'devis.demo');
      assert.deepEqual({ ...(row!.details as object), number: 0 }, { number: 0, category: 'devis', attachments: 3, errorReference: ref });
      assert.ok(row!.organisation_id);
    });

    it('accepts a JSON body without screenshots, from any signed-in account (a candidate too)', async () => {
      const res = await api('candidat.demo', 'POST', '/api/v1/support-requests', { ...VALID, category: 'autre' });
      assert.equal(res.statusCode, 201, res.body);
      const view = (await api('support.demo', 'GET', `/api/v1/support-requests/${res.json().id}`)).json();
      assert.equal(view.requester.organisation, null);
      assert.equal(view.requester.login, 'candidat.demo');
    });

    it('refuses HTML or SVG renamed .png (content, not name, is checked), nothing stored', async () => {
      for (const data of [HTML_AS_PNG, SVG_AS_PNG]) {
        const res = await nothingStored(() => upload('devis.demo', VALID, [{ name: 'capture.png', data, type: 'image/png' }]), 422);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.deepEqual(res.json().errors.map((e: { field: string }) => e.field), ['screenshots']);
        assert.match(res.json().errors[0].message, /« capture\.png » n’est pas une image PNG, JPEG ou WebP/);
      }
    });

    it('refuses an oversized screenshot with a French 413, and a fourth one with a 422, nothing stored', async () => {
      const big = await nothingStored(() => upload('devis.demo', VALID, [{ name: 'grand.png', data: pngOfSize(MAX_SCREENSHOT_BYTES + 1024) }]), 413);
      assert.match(big.json().detail, /dépasse 5 Mo/);
      assert.match(big.json().errors[0].message, /« grand\.png » pèse 5 Mo : 5 Mo au maximum par capture/);
      const four = Array.from({ length: 4 }, (_, i) => ({ name: `c${i}.png`, data: tinyPng() }));
      const many = await nothingStored(() => upload('devis.demo', VALID, four), 422);
      assert.match(many.json().errors[0].message, /joignez-en 3 au plus \(vous en avez joint 4\)/);
      const huge = Array.from({ length: 5 }, (_, i) => ({ name: `g${i}.png`, data: pngOfSize(MAX_SCREENSHOT_BYTES) }));
      const tooMuch = await nothingStored(() => upload('devis.demo', VALID, huge), 413);
      assert.match(tooMuch.json().detail, /L’envoi dépasse 20 Mo/);
    });

    it('refuses invalid fields in French naming each one, an unknown file field, and a malformed body, nothing stored', async () => {
      const res = await nothingStored(() => upload('devis.demo', { category: 'urgent', subject: '', description: 'court', errorReference: 'pas-une-ref', priority: 'haute' }), 422);
      const fields = res.json().errors.map((e: { field: string }) => e.field).sort();
      assert.deepEqual(fields, ['category', 'description', 'errorReference', 'priority', 'subject']);
      assert.ok(res.json().errors.every((e: { message: string }) => /[éèàù’]|champ/.test(e.message)));
      const other = await nothingStored(() => upload('devis.demo', VALID, [{ name: 'a.png', data: tinyPng(), field: 'fichier' }]), 422);
      assert.deepEqual(other.json().errors, [{ field: 'fichier', message: 'Le champ « fichier » n’est pas attendu : retirez-le.' }]);
      const broken = await nothingStored(
        () => rt.app.inject({ method: 'POST', url: '/api/v1/support-requests', headers: { ...as['devis.demo']!.headers, 'content-type': 'multipart/form-data; boundary=x' }, payload: 'pas du multipart' }),
        400,
      );
      assert.match(broken.json().detail, /mal formé/);
    });

    it('removes the files it wrote when the transaction fails (no file without its row)', async () => {
      await sql`alter table support_attachment rename to support_attachment_hidden`.execute(rt.ctx.db);
      try {
        const before = [await count('support_request'), await stored()];
        const res = await upload('devis.demo', VALID, [{ name: 'a.png', data: tinyPng() }, { name: 'b.png', data: tinyPng() }]);
        assert.equal(res.statusCode, 500);
        assert.match(res.json().requestId, /^[0-9a-f-]{36}$/);
        assert.deepEqual([await count('support_request'), await stored()], before);
      } finally {
        await sql`alter table support_attachment_hidden rename to support_attachment`.execute(rt.ctx.db);
      }
    });

    it('needs a session (401) and its CSRF token (403) before reading any file; other routes refuse multipart (415)', async () => {
      await nothingStored(() => upload(null, VALID, [{ name: 'a.png', data: tinyPng() }]), 401);
      await nothingStored(() => upload('devis.demo', VALID, [{ name: 'a.png', data: tinyPng() }], { cookie: as['devis.demo']!.cookie }), 403);
      const id = await create();
      const { payload, contentType } = await multipart({ body: 'Bonjour' });
      const elsewhere = await rt.app.inject({ method: 'POST', url: `/api/v1/support-requests/${id}/messages`, payload, headers: { ...as['devis.demo']!.headers, 'content-type': contentType } });
      assert.equal(elsewhere.statusCode, 415);
      const quotes = await rt.app.inject({ method: 'POST', url: '/api/v1/quotes', payload, headers: { ...as['devis.demo']!.headers, 'content-type': contentType } });
      assert.equal(quotes.statusCode, 415);
      for (const url of ['/api/v1/support-requests', `/api/v1/support-requests/${id}`, '/api/v1/support/queue']) assert.equal((await api(null, 'GET', url)).statusCode, 401, url);
      assert.equal((await api(null, 'POST', `/api/v1/support-requests/${id}/messages`, { body: 'x' })).statusCode, 401);
      assert.equal((await api(null, 'POST', `/api/v1/support-requests/${id}/status`, { status: 'closed' })).statusCode, 401);
    });

    it('shows a request and its files to its requester and to support agents only: others get a 404', async () => {
      const id = await create('devis.demo', [{ name: 'a.png', data: tinyPng() }]);
      const view = (await api('devis.demo', 'GET', `/api/v1/support-requests/${id}`)).json();
      const fileUrl = view.attachments[0].url;
      assert.equal(fileUrl, `/api/v1/support-requests/${id}/attachments/${view.attachments[0].id}`);
      // Same organisation, another user; another organisation; an agency advisor who is not a support agent.
      for (const who of ['rgc.demo', 'devis.demo2', 'conseiller.demo', 'candidat.demo']) {
        for (const url of [`/api/v1/support-requests/${id}`, fileUrl]) {
          const res = await api(who, 'GET', url);
          assert.equal(res.statusCode, 404, `${who} ${url}`);
          assert.ok(!res.body.includes(VALID.subject), 'nothing leaked');
        }
        assert.equal((await api(who, 'POST', `/api/v1/support-requests/${id}/messages`, { body: 'Je peux ?' })).statusCode, 404);
        assert.equal((await api(who, 'POST', `/api/v1/support-requests/${id}/status`, { status: 'closed' })).statusCode, 404);
      }
      assert.equal((await api('devis.demo', 'GET', `/api/v1/support-requests/${UNKNOWN_ID}`)).statusCode, 404);
      assert.equal((await api('devis.demo', 'GET', '/api/v1/support-requests/pas-un-id')).statusCode, 404);
      // An attachment id of one request asked through another request is unknown there.
      const otherId = await create('devis.demo');
      assert.equal((await api('devis.demo', 'GET', `/api/v1/support-requests/${otherId}/attachments/${view.attachments[0].id}`)).statusCode, 404);
      assert.equal((await api('devis.demo', 'GET', `/api/v1/support-requests/${id}/attachments/pas-un-id`)).statusCode, 404);
      assert.equal((await api('support.demo', 'GET', `/api/v1/support-requests/${id}`)).json().requester.login, 'devis.demo');
      // The schemas on the routes: a malformed id reads as an unknown one, before the body is judged;
      // an unknown query parameter or body field is named.
      const malformed = await api('devis.demo', 'POST', '/api/v1/support-requests/pas-un-id/messages', {});
      assert.equal(malformed.statusCode, 404);
      assert.equal(malformed.json().detail, 'Cette demande d’assistance est introuvable.');
      const extraQuery = await api('devis.demo', 'GET', `/api/v1/support-requests/${id}?vue=complete`);
      assert.equal(extraQuery.statusCode, 422);
      assert.equal(extraQuery.json().errors[0].field, 'vue');
      const extraField = await api('devis.demo', 'POST', `/api/v1/support-requests/${id}/status`, { status: 'closed', motif: 'x' });
      assert.equal(extraField.statusCode, 422);
      assert.deepEqual(extraField.json().errors.map((e: { field: string }) => e.field), ['motif']);
      const messagesBefore = await count('support_message');
      const noBody = await api('devis.demo', 'POST', `/api/v1/support-requests/${id}/messages`);
      assert.equal(noBody.statusCode, 422);
      assert.equal(noBody.json().errors[0].field, 'body');
      assert.equal(await count('support_message'), messagesBefore, 'nothing stored');
    });

    it('serves a screenshot as a download, with its checked type, nosniff and no cache; each download audited', async () => {
      const id = await create('devis.demo', [{ name: 'Écran "final".png', data: tinyPng(), type: 'text/html' }]);
      const { url } = (await api('devis.demo', 'GET', `/api/v1/support-requests/${id}`)).json().attachments[0];
      for (const who of ['devis.demo', 'support.demo']) {
        const res = await api(who, 'GET', url);
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-type'], 'image/png', 'the sniffed type, not the declared one');
        assert.equal(res.headers['content-disposition'], `attachment; filename="Ecran final.png"; filename*=UTF-8''%C3%89cran%20final.png`);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.equal(res.headers['cache-control'], 'private, no-store');
        assert.deepEqual(res.rawPayload, tinyPng());
      }
      const rows = await audits('support_request.attachment_downloaded', id);
      assert.deepEqual(rows.map((r) => [r.actor_login, (r.details as { role: string }).role]), [['devis.demo', 'requester'], ['support.demo', 'agent']]);
    });

    it('runs open → answered → open → closed → open, mailing the other party, with the audit of each change', async () => {
      const id = await create('devis.demo');
      const reply = (who: string, body: string) => api(who, 'POST', `/api/v1/support-requests/${id}/messages`, { body });
      const status = (who: string, value: string) => api(who, 'POST', `/api/v1/support-requests/${id}/status`, { status: value });

      const answered = await reply('support.demo', 'Bonjour, pouvez-vous préciser le devis ?');
      assert.equal(answered.statusCode, 201, answered.body);
      assert.equal(answered.json().status, 'answered');
      const toRequester = await mailsTo('devis.demo@demo.kairos.example');
      const mail = toRequester.at(-1)!;
      assert.match(mail.subject, /^Réponse de l’assistance à votre demande n° \d+$/);
      assert.ok(!mail.text.includes('http'), 'no link in mails');
      assert.ok(!mail.text.includes('préciser le devis'), 'the reply itself stays in Kairos');

      const back = await reply('devis.demo', 'Il s’agit du devis de M. Martin.');
      assert.equal(back.json().status, 'open');
      assert.match((await mailsTo('support.demo@demo.kairos.example')).at(-1)!.subject, /^Nouveau message sur la demande d’assistance n° \d+$/);

      assert.equal((await reply('devis.demo', '   ')).statusCode, 422);
      assert.match((await reply('devis.demo', '')).json().errors[0].message, /^Message \(body\)/);
      assert.equal((await api('devis.demo', 'POST', `/api/v1/support-requests/${id}/messages`, { body: 'x', extra: 1 })).statusCode, 422);
      assert.equal((await status('devis.demo', 'answered')).statusCode, 422);

      assert.equal((await status('support.demo', 'closed')).json().status, 'closed');
      assert.equal((await status('support.demo', 'closed')).statusCode, 409);
      const closedReply = await reply('support.demo', 'Encore une chose');
      assert.equal(closedReply.statusCode, 409);
      assert.match(closedReply.json().detail, /close/);
      const agentReopen = await status('support.demo', 'open');
      assert.equal(agentReopen.statusCode, 403);
      assert.equal(agentReopen.json().detail, 'Seul le demandeur peut rouvrir sa demande.');
      assert.equal((await status('devis.demo', 'open')).json().status, 'open');
      assert.equal((await status('devis.demo', 'open')).statusCode, 409);

      const view = (await api('devis.demo', 'GET', `/api/v1/support-requests/${id}`)).json();
      assert.deepEqual(view.messages.map((m: { authorRole: string; authorName: string }) => [m.authorRole, m.authorName]), [['agent', 'Assistance'], ['requester', 'Lou Rédacteur']]);
      assert.deepEqual(view.actions, { reply: true, close: true, reopen: false });
      const agentView = (await api('support.demo', 'GET', `/api/v1/support-requests/${id}`)).json();
      assert.equal(agentView.messages[0].authorName, 'Noa Assistance');

      assert.equal((await audits('support_request.replied', id)).length, 2);
      const changes = (await audits('support_request.status_changed', id)).map((r) => {
        const d = r.details as { from: string; to: string };
        return `${r.actor_login}:${d.from}→${d.to}`;
      });
      assert.deepEqual(changes, ['support.demo:open→answered', 'devis.demo:answered→open', 'support.demo:open→closed', 'devis.demo:closed→open']);
      assert.equal((await verifyAuditChain(rt.ctx.db)).ok, true);
    });

    it('lists one’s own requests, and gives agents a filtered queue (status, category, organisation, age)', async () => {
      const mine = (await api('devis.demo2', 'GET', '/api/v1/support-requests')).json();
      assert.deepEqual(mine, { requests: [], page: 1, hasMore: false });
      const theirs = await create('devis.demo2');
      rt.clock.advance(3 * DAY);
      await signInAll();
      const recent = await create('devis.demo');
      const own = (await api('devis.demo2', 'GET', '/api/v1/support-requests')).json();
      assert.deepEqual(own.requests.map((r: { id: string }) => r.id), [theirs]);
      assert.equal((await api('devis.demo2', 'GET', '/api/v1/support-requests?status=fermee')).statusCode, 422);

      const queue = (q: string, who = 'support.demo') => api(who, 'GET', `/api/v1/support/queue${q}`);
      assert.equal((await queue('', 'devis.demo')).statusCode, 403);
      assert.equal((await queue('', 'conseiller.demo')).statusCode, 403);
      const orgOf = (await api('support.demo', 'GET', `/api/v1/support-requests/${theirs}`)).json().requester.organisation.id;
      const byOrg = (await queue(`?organisation=${orgOf}`)).json().requests.map((r: { id: string }) => r.id);
      assert.deepEqual(byOrg, [theirs]);
      const old = (await queue('?age=2&status=open')).json().requests.map((r: { id: string }) => r.id);
      assert.ok(old.includes(theirs) && !old.includes(recent));
      const all = (await queue('?category=devis&status=')).json().requests.map((r: { id: string }) => r.id);
      assert.ok(all.includes(recent) && all.indexOf(theirs) < all.indexOf(recent), 'oldest first');
      assert.equal((await queue('?category=autre')).json().requests.every((r: { category: string }) => r.category === 'autre'), true);
      for (const bad of ['?status=x', '?age=-1', '?age=abc', '?organisation=abc', '?page=0', '?tri=date']) assert.equal((await queue(bad)).statusCode, 422, bad);
    });

    it('pages: the form pre-filled from an error reference, sent with a screenshot and _csrf, errors shown on the form', async () => {
      const s = as['rgc.demo']!;
      const ref = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
      const form = await rt.app.inject({ url: `/support/demandes/nouvelle?reference=${ref}`, headers: { cookie: s.cookie } });
      assert.equal(form.statusCode, 200);
      assert.match(form.body, new RegExp(`id="errorReference" name="errorReference"[^>]*value="${ref}"`));
      assert.match(form.body, /<option value="erreur" selected>/);
      assert.match(form.body, /enctype="multipart\/form-data"/);
      assert.match(form.body, /type="file" id="screenshots" name="screenshots" multiple accept="image\/png,image\/jpeg,image\/webp"/);
      const csrf = csrfFromHtml(form.body);
      const post = async (fields: Record<string, string>, files: FileSpec[] = []) => {
        const { payload, contentType } = await multipart(fields, files);
        return rt.app.inject({ method: 'POST', url: '/support/demandes/nouvelle', payload, headers: { cookie: s.cookie, 'content-type': contentType } });
      };
      await nothingStored(() => post({ ...VALID }, [{ name: 'a.png', data: tinyPng() }]), 403);
      const invalid = await nothingStored(() => post({ _csrf: csrf, ...VALID, subject: '' }, [{ name: 'faux.png', data: HTML_AS_PNG }]), 422);
      assert.match(invalid.body, /2 erreurs empêchent l’envoi du formulaire/);
      assert.match(invalid.body, /href="#subject"/);
      assert.match(invalid.body, /href="#screenshots">Le fichier « faux\.png » n’est pas une image PNG, JPEG ou WebP/);
      assert.match(invalid.body, /aria-describedby="screenshots-aide screenshots-erreur"/);
      assert.match(invalid.body, /sélectionnez-les de nouveau/);
      assert.ok(invalid.body.includes(`>${VALID.description}</textarea>`), 'what was typed is kept');
      const big = await nothingStored(() => post({ _csrf: csrf, ...VALID }, [{ name: 'grand.png', data: pngOfSize(MAX_SCREENSHOT_BYTES + 1) }]), 413);
      assert.match(big.body, /pèse 5 Mo : 5 Mo au maximum par capture/);

      const sent = await post({ _csrf: csrf, ...VALID, errorReference: ref, steps: '' }, [{ name: 'a.png', data: tinyPng() }]);
      assert.equal(sent.statusCode, 303, sent.body);
      const location = String(sent.headers.location);
      assert.match(location, /^\/support\/demandes\/[0-9a-f-]{36}\?fait=envoyee$/);
      const page = await rt.app.inject({ url: location, headers: { cookie: s.cookie } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Votre demande est envoyée/);
      assert.match(page.body, /href="\/api\/v1\/support-requests\/[0-9a-f-]{36}\/attachments\/[0-9a-f-]{36}" download="a\.png"/);
      assert.match(page.body, /Clore la demande/);
      const other = await rt.app.inject({ url: location, headers: { cookie: as['devis.demo']!.cookie } });
      assert.equal(other.statusCode, 404);
      assert.ok(!other.body.includes(VALID.subject));
      assert.equal((await rt.app.inject({ url: location })).statusCode, 303, 'anonymous: sent to sign in');
      assert.equal((await rt.app.inject({ url: '/support/demandes/nouvelle' })).statusCode, 303);
    });

    it('pages: reply and close through forms, the list, and the queue for agents only', async () => {
      const id = await create('devis.demo');
      const agent = as['support.demo']!;
      const queue = await rt.app.inject({ url: '/support/file', headers: { cookie: agent.cookie } });
      assert.equal(queue.statusCode, 200);
      assert.match(queue.body, new RegExp(`data-request="${id}"`));
      assert.match(queue.body, /<option value="open" selected>Ouverte<\/option>/);
      const badAge = await rt.app.inject({ url: '/support/file?age=abc&status=closed', headers: { cookie: agent.cookie } });
      assert.equal(badAge.statusCode, 422);
      assert.match(badAge.body, /Ancienneté \(age\) : nombre/);
      assert.match(badAge.body, /<option value="closed" selected>/, 'the filters shown as typed');
      const filtered = await rt.app.inject({ url: '/support/file?status=&category=autre&tri=x', headers: { cookie: agent.cookie } });
      assert.equal(filtered.statusCode, 200, 'an unknown parameter is ignored by the page');
      assert.match(filtered.body, /<option value="autre" selected>/);
      assert.equal((await rt.app.inject({ url: '/support/file', headers: { cookie: as['devis.demo']!.cookie } })).statusCode, 403);

      const detail = await rt.app.inject({ url: `/support/demandes/${id}`, headers: { cookie: agent.cookie } });
      assert.match(detail.body, /Réponse de l’assistance/);
      assert.doesNotMatch(detail.body, /Rouvrir la demande/);
      const form = (url: string, fields: Record<string, string>, cookie = agent.cookie) =>
        rt.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
      assert.equal((await form(`/support/demandes/${id}/reponse`, { body: 'Bonjour' })).statusCode, 403, 'no CSRF token');
      const empty = await form(`/support/demandes/${id}/reponse`, { _csrf: agent.csrfToken, body: ' ' });
      assert.equal(empty.statusCode, 422);
      assert.match(empty.body, /href="#body">Message \(body\)/);
      const replied = await form(`/support/demandes/${id}/reponse`, { _csrf: agent.csrfToken, body: 'Voici la marche à suivre.\nCordialement' });
      assert.equal(replied.statusCode, 303);
      const requester = as['devis.demo']!;
      const seen = await rt.app.inject({ url: `/support/demandes/${id}`, headers: { cookie: requester.cookie } });
      assert.match(seen.body, /Voici la marche à suivre\.<br\/>Cordialement/);
      assert.match(seen.body, /Assistance \(assistance\)/);
      const closed = await form(`/support/demandes/${id}/statut`, { _csrf: requester.csrfToken, status: 'closed' }, requester.cookie);
      assert.equal(closed.headers.location, `/support/demandes/${id}?fait=close`);
      const after = await rt.app.inject({ url: `/support/demandes/${id}`, headers: { cookie: requester.cookie } });
      assert.match(after.body, /Rouvrir la demande/);
      assert.doesNotMatch(after.body, /Envoyer le message/);
      assert.equal((await form(`/support/demandes/${id}/statut`, { _csrf: agent.csrfToken, status: 'open' })).statusCode, 403);
      assert.equal((await form(`/support/demandes/${id}/statut`, { _csrf: requester.csrfToken, status: 'ferme' }, requester.cookie)).statusCode, 422);
      assert.equal((await form(`/support/demandes/${id}/reponse`, { _csrf: as['rgc.demo']!.csrfToken, body: 'Moi aussi' }, as['rgc.demo']!.cookie)).statusCode, 404);
      assert.equal((await form(`/support/demandes/${id}/reponse`, { _csrf: as['rgc.demo']!.csrfToken, body: ' ' }, as['rgc.demo']!.cookie)).statusCode, 404, 'someone else’s request is not found, even with a refused body');
      assert.equal((await form('/support/demandes/pas-un-id/reponse', { _csrf: agent.csrfToken, body: ' ' })).statusCode, 404);
      assert.equal((await rt.app.inject({ url: '/support/demandes/pas-un-id', headers: { cookie: agent.cookie } })).statusCode, 404);

      const list = await rt.app.inject({ url: '/support/demandes', headers: { cookie: requester.cookie } });
      assert.match(list.body, new RegExp(`href="/support/demandes/${id}"`));
      const rgcList = await rt.app.inject({ url: '/support/demandes', headers: { cookie: as['rgc.demo']!.cookie } });
      assert.doesNotMatch(rgcList.body, new RegExp(id));
    });

    it('error pages and the incident journal lead to the form with the reference', async () => {
      const s = as['rgc.demo']!;
      const missing = await rt.app.inject({ url: '/page-inexistante', headers: { cookie: s.cookie } });
      assert.equal(missing.statusCode, 404);
      const ref = String(missing.headers['x-request-id']);
      assert.match(missing.body, new RegExp(`href="/support/demandes/nouvelle\\?reference=${ref}">Contacter l’assistance</a>`));
      const anonymous = await rt.app.inject({ url: '/page-inexistante' });
      assert.doesNotMatch(anonymous.body, /support\/demandes/);
      assert.match(anonymous.body, /href="\/aide\/contacter-assistance"/);
      const journal = await rt.app.inject({ url: '/compte/incidents', headers: { cookie: s.cookie } });
      assert.match(journal.body, new RegExp(`href="/support/demandes/nouvelle\\?reference=${ref}"`));
      assert.match(journal.body, /Demander de l’aide<span class="visually-hidden"> pour l’erreur du/);
      // The agent sees, beside the reference, what the server recorded behind it.
      const created = await api('rgc.demo', 'POST', '/api/v1/support-requests', { ...VALID, errorReference: ref });
      const agentPage = await rt.app.inject({ url: `/support/demandes/${created.json().id}`, headers: { cookie: as['support.demo']!.cookie } });
      assert.match(agentPage.body, /Enregistrée le [^<]*: GET [^<]*, code 404/);
      const ownPage = await rt.app.inject({ url: `/support/demandes/${created.json().id}`, headers: { cookie: s.cookie } });
      assert.doesNotMatch(ownPage.body, /Enregistrée le/);
    });
  });
}
