// Digital attendance sheets on both engines: a trainer opens the sheet of a planned half-day
// (not earlier than 30 minutes before it, not after it), trainees sign from the QR token (refused
// when older than 60 s, forged, for a session they are not in, after their withdrawal, on a closed
// sheet, twice), the trainer signs and closes, and the signatures become proposals that never
// overwrite a declared half-day; access by role and organisation; every step audited.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { ManualClock } from '../../src/clock.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';
import { MAC_PURPOSE, sheetToken, stepAt } from '../../src/modules/training/sheets/rules.js';
import { grantHabilitation, staffUser } from '../helpers/fixtures.js';
import { pdfText } from '../helpers/pdf.js';
import { createCandidate, createTraining, grantKairosRole } from '../helpers/trainings.js';

type Method = 'GET' | 'POST';
const DAY = '2026-03-02'; // a Monday; the half-day runs 09:00–12:30, Paris (08:00–11:30 UTC)
const LOGINS = ['rgc.demo', 'assiduite.demo', 'devis.demo', 'devis.demo2', 'candidat.demo', 'candidat.demo2', 'conseiller.demo'];

for (const engine of ENGINES) {
  describe(`attendance sheets (${engine})`, () => {
    let rt: TestRuntime;
    const as: Record<string, SignedIn> = {};
    const trainings: Record<string, string> = {};
    let sheetId = '';
    let token = '';

    const call = (who: string | null, method: Method, url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
      rt.app.inject({ method, url, headers: who ? as[who]!.headers : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
    async function signAll() {
      for (const login of LOGINS) as[login] = await signInAs(rt.app, rt.clock, login);
    }
    const count = async (table: 'attendance_sheet' | 'attendance_signature' | 'attendance_proposal') =>
      Number((await rt.ctx.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const audits = async (action: string) =>
      Number((await rt.ctx.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

    before(async () => {
      rt = await startTestRuntime(engine, { clock: new ManualClock(new Date(`${DAY}T06:00:00Z`)) });
      const db = rt.ctx.db;
      await grantKairosRole(db, 'rgc.demo', 'trainer');
      await grantKairosRole(db, 'devis.demo2', 'trainer');
      await createCandidate(db, '5550001X', 'Sansportable', 'Alex');
      await createCandidate(db, '5550002X', 'Autregroupe', 'Sam');
      const spec = { organisation: 'Formapro Démo', startDate: DAY, endDate: '2026-03-31', session: 'SE_EMARG', at: rt.clock.now() };
      trainings.signer = (await createTraining(db, { ...spec, candidate: '1234567A' })).id;
      trainings.silent = (await createTraining(db, { ...spec, candidate: '5550001X' })).id;
      trainings.withdrawn = (await createTraining(db, { ...spec, candidate: '7654321B' })).id;
      trainings.other = (await createTraining(db, { ...spec, candidate: '5550002X', session: 'SE_AUTRE' })).id;
      await signAll();
      for (const id of Object.values(trainings)) {
        const res = await call('assiduite.demo', 'POST', `/api/v1/trainings/${id}/entry`, { startDate: DAY });
        assert.equal(res.statusCode, 200, res.body);
      }
      await db.updateTable('training').set({ status: 'withdrawn', withdrawal_date: DAY, withdrawal_reason: 'personal' }).where('id', '=', trainings.withdrawn).execute();
      // The silent trainee's half-day is already declared: the sheet must not overwrite it.
      // (Written directly: the half-day is still to come on the test's clock, which the API refuses.)
      const officer = await db.selectFrom('account').select('id').where('login', '=', 'assiduite.demo').executeTakeFirstOrThrow();
      await db
        .insertInto('attendance')
        .values({ training_id: trainings.silent, date: DAY, period: 'am', status: 'absent', late_minutes: null, reason: 'sickness', justified: true, recorded_at: rt.clock.now(), recorded_by: officer.id })
        .execute();
    });
    after(() => rt?.stop());

    it('refuses to open a sheet too early, for no planned half-day, or for a wrong role; nothing stored', async () => {
      // Signing in moves the clock (one TOTP step each), and sessions end after 30 idle minutes.
      rt.clock.set(`${DAY}T07:20:00Z`);
      await signAll();
      rt.clock.set(`${DAY}T07:29:00Z`); // 08:29 in Paris: 31 minutes before the start
      const early = await call('rgc.demo', 'POST', '/api/v1/attendance-sheets', { session: 'SE_EMARG', date: DAY, period: 'am' });
      assert.equal(early.statusCode, 422, early.body);
      assert.match(early.json().errors[0].message, /30 minutes avant le début/);
      const none = await call('rgc.demo', 'POST', '/api/v1/attendance-sheets', { session: 'SE_INCONNUE', date: DAY, period: 'am' });
      assert.equal(none.statusCode, 422);
      assert.match(none.json().errors[0].message, /SE_INCONNUE/);
      const invalid = await call('rgc.demo', 'POST', '/api/v1/attendance-sheets', { session: 'SE_EMARG', date: '2026-02-30', period: 'soir' });
      assert.equal(invalid.statusCode, 422);
      assert.deepEqual(invalid.json().errors.map((e: { field: string }) => e.field).sort(), ['date', 'period']);
      assert.equal((await call('devis.demo', 'POST', '/api/v1/attendance-sheets', { session: 'SE_EMARG', date: DAY, period: 'am' })).statusCode, 403);
      assert.equal((await call('candidat.demo', 'POST', '/api/v1/attendance-sheets', { session: 'SE_EMARG', date: DAY, period: 'am' })).statusCode, 403);
      assert.equal((await call(null, 'POST', '/api/v1/attendance-sheets', { session: 'SE_EMARG', date: DAY, period: 'am' })).statusCode, 401);
      assert.equal(await count('attendance_sheet'), 0);
    });

    it('opens the sheet from 30 minutes before: the trainees of that half-day, a token, once', async () => {
      rt.clock.set(`${DAY}T07:31:00Z`);
      const res = await call('rgc.demo', 'POST', '/api/v1/attendance-sheets', { session: 'SE_EMARG', date: DAY, period: 'am' });
      assert.equal(res.statusCode, 201, res.body);
      const sheet = res.json();
      assert.equal(sheet.status, 'open');
      assert.deepEqual([sheet.startsAt, sheet.endsAt], ['09:00', '12:30']);
      // The withdrawn trainee and the other session's are not on the sheet.
      assert.deepEqual(sheet.trainees.map((t: { trainingId: string }) => t.trainingId).sort(), [trainings.signer, trainings.silent].sort());
      assert.match(sheet.token, /\.\d+\./);
      sheetId = sheet.id;
      token = sheet.token;
      const again = await call('assiduite.demo', 'POST', '/api/v1/attendance-sheets', { session: 'SE_EMARG', date: DAY, period: 'am' });
      assert.equal(again.statusCode, 409);
      assert.equal(await audits('attendance_sheet.opened'), 1);
    });

    it('the account manager grants the trainer role (« Formateur ») like the other organisation roles', async () => {
      const organisation = await rt.ctx.db.selectFrom('organisation').select('id').where('name', '=', 'Formapro Démo').executeTakeFirstOrThrow();
      const user = await staffUser(rt, as['rgc.demo']!, organisation.id);
      await grantHabilitation(rt, as['rgc.demo']!, organisation.id, user.id, 'kairos', 'trainer');
      const role = await rt.ctx.db.selectFrom('role').select('label').where('application', '=', 'kairos').where('code', '=', 'trainer').executeTakeFirstOrThrow();
      assert.equal(role.label, 'Formateur');
    });

    it('the trainer and the attendance officer reach the sheets from their Kairos page', async () => {
      for (const who of ['rgc.demo', 'assiduite.demo']) {
        const page = await call(who, 'GET', '/kairos');
        assert.equal(page.statusCode, 200);
        assert.ok(page.body.includes('href="/kairos/emargement"'), who);
      }
      assert.ok(!(await call('devis.demo', 'GET', '/kairos')).body.includes('href="/kairos/emargement"'));
    });

    it('another organisation’s trainer gets a 404, as for an unknown sheet', async () => {
      assert.equal((await call('devis.demo2', 'GET', `/api/v1/attendance-sheets/${sheetId}`)).statusCode, 404);
      assert.equal((await call('devis.demo2', 'POST', `/api/v1/attendance-sheets/${sheetId}/close`, { signature: { kind: 'confirmed' } })).statusCode, 404);
      assert.equal((await call('rgc.demo', 'GET', '/api/v1/attendance-sheets/00000000-0000-4000-8000-000000000000')).statusCode, 404);
      assert.deepEqual((await call('devis.demo2', 'GET', '/api/v1/attendance-sheets')).json().sheets, []);
    });

    it('a trainee signs with a fresh token, once; refusals name the reason and store nothing', async () => {
      const sign = (who: string, body: unknown) => call(who, 'POST', '/api/v1/me/attendance-signatures', body);
      // A forged token, and a staff account.
      const forged = await sign('candidat.demo', { token: token.slice(0, -4) + 'AAAA' });
      assert.equal(forged.statusCode, 422);
      assert.match(forged.json().errors[0].message, /n’est pas valide/);
      assert.equal((await call('assiduite.demo', 'POST', '/api/v1/me/attendance-signatures', { token })).statusCode, 403);
      assert.equal((await call(null, 'POST', '/api/v1/me/attendance-signatures', { token })).statusCode, 401);
      // The signing page: without a code it says how to get one; a forged code is refused, naming why.
      const bare = await call('candidat.demo', 'GET', '/emarger');
      assert.equal(bare.statusCode, 200);
      assert.match(bare.body, /Demandez à votre formateur/);
      const forgedPage = await call('candidat.demo', 'GET', `/emarger?jeton=${encodeURIComponent(token.slice(0, -4) + 'AAAA')}`);
      assert.equal(forgedPage.statusCode, 422);
      assert.match(forgedPage.body, /n’est pas valide/);
      // Withdrawn on that day.
      const withdrawn = await sign('candidat.demo2', { token });
      assert.equal(withdrawn.statusCode, 422, withdrawn.body);
      assert.match(withdrawn.json().errors[0].message, /abandon/, withdrawn.body);
      // A drawn signature that is not path data.
      const badDrawing = await sign('candidat.demo', { token, signature: { kind: 'drawn', paths: ['<script>'] } });
      assert.equal(badDrawing.statusCode, 422);
      assert.equal(await count('attendance_signature'), 0);

      // The token is fetched 12 min 30 s after the start and used 45 s later: late by 13 whole minutes.
      rt.clock.set(`${DAY}T08:05:00Z`);
      await signAll();
      rt.clock.set(`${DAY}T08:12:30Z`);
      const fresh = (await call('rgc.demo', 'GET', `/api/v1/attendance-sheets/${sheetId}`)).json().token as string;
      const stale = await sign('candidat.demo', { token }); // from 07:31, 41 minutes ago
      assert.equal(stale.statusCode, 422);
      assert.match(stale.json().errors[0].message, /expiré/);
      rt.clock.advance(45_000); // still within 60 s of the fresh token's step
      const signed = await sign('candidat.demo', { token: fresh, signature: { kind: 'drawn', paths: ['M10 10 L50 40 C60 50 70 50 80 40'] } });
      assert.equal(signed.statusCode, 201, signed.body);
      assert.equal(signed.json().trainingId, trainings.signer);
      assert.equal((await sign('candidat.demo', { token: fresh })).statusCode, 409);
      const row = await rt.ctx.db.selectFrom('attendance_signature').selectAll().executeTakeFirstOrThrow();
      assert.ok(row.ip && row.user_agent !== undefined && row.token_step > 0);
      assert.equal(await audits('attendance_sheet.signed'), 1);
      const view = (await call('assiduite.demo', 'GET', `/api/v1/attendance-sheets/${sheetId}`)).json();
      assert.equal(view.trainees.find((t: { trainingId: string }) => t.trainingId === trainings.signer).signatureKind, 'drawn');
    });

    it('a trainee of another session cannot sign this sheet', async () => {
      // candidat.demo2's other training is withdrawn; the other session's trainee has no account:
      // give candidat.demo2 a second, live training on SE_AUTRE and try this sheet's token with it.
      const live = (await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: '7654321B', startDate: DAY, endDate: '2026-03-31', session: 'SE_AUTRE', at: rt.clock.now() })).id;
      assert.equal((await call('assiduite.demo', 'POST', `/api/v1/trainings/${live}/entry`, { startDate: DAY })).statusCode, 200);
      const fresh = (await call('rgc.demo', 'GET', `/api/v1/attendance-sheets/${sheetId}`)).json().token as string;
      const res = await call('candidat.demo2', 'POST', '/api/v1/me/attendance-signatures', { token: fresh });
      assert.equal(res.statusCode, 422);
      assert.match(res.json().errors[0].message, /abandon|pas inscrit/);
    });

    it('closing proposes present or late for signers and absent for the others, never over a declared half-day', async () => {
      assert.equal((await call('devis.demo', 'POST', `/api/v1/attendance-sheets/${sheetId}/close`, { signature: { kind: 'confirmed' } })).statusCode, 403);
      assert.equal((await call('rgc.demo', 'POST', `/api/v1/attendance-sheets/${sheetId}/close`, {})).statusCode, 422);
      const closed = await call('rgc.demo', 'POST', `/api/v1/attendance-sheets/${sheetId}/close`, { signature: { kind: 'drawn', paths: ['M0 0 L10 10'] } });
      assert.equal(closed.statusCode, 200, closed.body);
      const sheet = closed.json();
      assert.equal(sheet.status, 'closed');
      assert.match(sheet.contentHash, /^[0-9a-f]{64}$/);
      assert.equal(sheet.token, null);
      const proposals = await rt.ctx.db.selectFrom('attendance_proposal').select(['training_id', 'status', 'late_minutes']).execute();
      // The silent trainee's half-day was declared (absent, sickness): no proposal over it.
      assert.deepEqual(proposals, [{ training_id: trainings.signer, status: 'late', late_minutes: 13 }]);
      const declared = await rt.ctx.db.selectFrom('attendance').select(['status', 'reason']).where('training_id', '=', trainings.silent).executeTakeFirstOrThrow();
      assert.deepEqual(declared, { status: 'absent', reason: 'sickness' });
      assert.equal((await call('rgc.demo', 'POST', `/api/v1/attendance-sheets/${sheetId}/close`, { signature: { kind: 'confirmed' } })).statusCode, 409);
      const fresh = (await call('rgc.demo', 'GET', `/api/v1/attendance-sheets/${sheetId}`)).json();
      assert.equal(fresh.token, null);
      const audit = await rt.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'attendance_sheet.closed').executeTakeFirstOrThrow();
      assert.equal((audit.details as { contentHash: string }).contentHash, sheet.contentHash);
    });

    it('the attendance grid shows the proposal in the undeclared cell, marked, and leaves the declared one alone', async () => {
      const grid = await call('assiduite.demo', 'GET', `/kairos/assiduite?session=SE_EMARG&mois=2026-03`);
      assert.equal(grid.statusCode, 200);
      const signerCell = new RegExp(`id="[^"]*${trainings.signer}[^"]*"[^>]*aria-describedby="[^"]*-proposition"`);
      assert.match(grid.body, signerCell);
      assert.match(grid.body, /<option value="late:13" selected[^>]*>Retard 13 min<\/option>/);
      assert.match(grid.body, /proposé par la feuille d’émargement/);
      assert.equal((grid.body.match(/-proposition"/g) ?? []).length, 2, 'one badge (its id and the reference to it), on the signer’s cell only');
    });

    it('the trainee sees their signature in their calendar, with the sheet’s PDF', async () => {
      const page = await call('candidat.demo', 'GET', `/mon-espace/formations/${trainings.signer}?mois=2026-03`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /émargé à 09:13/);
      assert.ok(page.body.includes(`/api/v1/attendance-sheets/${sheetId}.pdf`));
      // And among everything held about them.
      const exported = await call('candidat.demo', 'GET', '/api/v1/me/data-export');
      assert.equal(exported.statusCode, 200, exported.body.slice(0, 300));
      const signatures = exported.json().signatures as Array<{ sheetId: string; signature: { kind: string } }>;
      assert.deepEqual(signatures.map((x) => [x.sheetId, x.signature.kind]), [[sheetId, 'drawn']]);
    });

    it('a closed sheet takes no more signatures; the list filters by session and month', async () => {
      // A code of the current step, as the trainer's screen would have shown it before the closing.
      const code = sheetToken((data) => rt.ctx.secretBox.mac(MAC_PURPOSE, data), sheetId, stepAt(rt.clock.now()));
      const late = await call('candidat.demo', 'POST', '/api/v1/me/attendance-signatures', { token: code });
      assert.equal(late.statusCode, 422);
      assert.match(late.json().errors[0].message, /close/);
      const list = await call('assiduite.demo', 'GET', '/api/v1/attendance-sheets?session=SE_EMARG&month=2026-03');
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().sheets.map((s: { id: string }) => s.id), [sheetId]);
      assert.deepEqual((await call('assiduite.demo', 'GET', '/api/v1/attendance-sheets?month=2026-04')).json().sheets, []);
      assert.equal((await call('assiduite.demo', 'GET', '/api/v1/attendance-sheets?month=mars')).statusCode, 422);
      assert.equal((await call('devis.demo', 'GET', '/api/v1/attendance-sheets')).statusCode, 403);
      // The advisor who approved the trainees' quotes sees the sheet; another advisor would not.
      assert.deepEqual((await call('conseiller.demo', 'GET', '/api/v1/attendance-sheets?month=2026-03')).json().sheets.map((x: { id: string }) => x.id), [sheetId]);
      const quotes = rt.ctx.db.selectFrom('training').select('quote_id').where('carif_oref_session', '=', 'SE_EMARG');
      const advisor = await rt.ctx.db.selectFrom('account').select('id').where('login', '=', 'conseiller.demo').executeTakeFirstOrThrow();
      await rt.ctx.db.updateTable('quote').set({ decided_by: null }).where('id', 'in', quotes).execute();
      assert.deepEqual((await call('conseiller.demo', 'GET', '/api/v1/attendance-sheets?month=2026-03')).json().sheets, []);
      await rt.ctx.db.updateTable('quote').set({ decided_by: advisor.id }).where('id', 'in', quotes).execute();
    });

    it('closing proposes nothing in a month already submitted (locked)', async () => {
      rt.clock.set(`${DAY}T12:00:00Z`);
      await signAll();
      rt.clock.set(`${DAY}T12:10:00Z`); // 13:10 in Paris: the afternoon starts at 13:30
      const officer = await rt.ctx.db.selectFrom('account').select('id').where('login', '=', 'assiduite.demo').executeTakeFirstOrThrow();
      await rt.ctx.db
        .insertInto('monthly_statement')
        .values({ training_id: trainings.signer, month: '2026-03', figures: JSON.stringify({}), submitted_at: rt.clock.now(), submitted_by: officer.id, updated_at: rt.clock.now() })
        .execute();
      const opened = await call('rgc.demo', 'POST', '/api/v1/attendance-sheets', { session: 'SE_EMARG', date: DAY, period: 'pm' });
      assert.equal(opened.statusCode, 201, opened.body);
      const closed = await call('rgc.demo', 'POST', `/api/v1/attendance-sheets/${opened.json().id}/close`, { signature: { kind: 'confirmed' } });
      assert.equal(closed.statusCode, 200, closed.body);
      const proposals = await rt.ctx.db.selectFrom('attendance_proposal').select(['training_id', 'status']).where('period', '=', 'pm').execute();
      assert.deepEqual(proposals, [{ training_id: trainings.silent, status: 'absent' }], 'the locked month of the signer gets no proposal');
      await rt.ctx.db.deleteFrom('monthly_statement').where('training_id', '=', trainings.signer).execute();
    });

    it('the sheet as a PDF: every line for the organisation, their own lines for an advisor or a trainee, 404 for anyone else', async () => {
      const pdf = async (who: string) => {
        const res = await call(who, 'GET', `/api/v1/attendance-sheets/${sheetId}.pdf`);
        assert.equal(res.statusCode, 200, res.body.slice(0, 300));
        assert.equal(res.headers['content-type'], 'application/pdf');
        return pdfText(res.rawPayload);
      };
      const hash = (await call('assiduite.demo', 'GET', `/api/v1/attendance-sheets/${sheetId}`)).json().contentHash as string;
      const full = await pdf('assiduite.demo');
      assert.match(full, /Feuille d’émargement — SE_EMARG, 02\/03\/2026 \(matin\)/);
      assert.match(full, /Martin Camille/);
      assert.match(full, /Sansportable Alex/);
      assert.match(full, /signé à 09:13/);
      assert.match(full, /non signé/);
      assert.ok(full.replace(/\s/g, '').includes(hash), 'the content hash is printed');
      assert.match(full, /Référence du journal d’audit \(clôture\) : \d+/);
      const own = await pdf('candidat.demo');
      assert.match(own, /Martin Camille/);
      assert.doesNotMatch(own, /Sansportable/);
      assert.match(await pdf('conseiller.demo'), /Martin Camille/);
      for (const outsider of ['devis.demo2', 'candidat.demo2']) assert.equal((await call(outsider, 'GET', `/api/v1/attendance-sheets/${sheetId}.pdf`)).statusCode, 404, outsider);
      assert.equal((await call('devis.demo', 'GET', `/api/v1/attendance-sheets/${sheetId}.pdf`)).statusCode, 403);
      assert.equal((await call(null, 'GET', `/api/v1/attendance-sheets/${sheetId}.pdf`)).statusCode, 401);
      assert.ok((await audits('attendance_sheet.downloaded')) >= 3);

      // The trainee's month: every planned half-day of March, the signed one with its time.
      const month = await call('assiduite.demo', 'GET', `/api/v1/trainings/${trainings.signer}/signatures/2026-03.pdf`);
      assert.equal(month.statusCode, 200);
      const monthText = await pdfText(month.rawPayload);
      assert.match(monthText, /Feuille d’émargement mensuelle — mars 2026/);
      assert.match(monthText, /02\/03\/2026 matin \(09:00–12:30\)/);
      assert.match(monthText, /signé à 09:13/);
      assert.match(monthText, /pas de feuille numérique/);
      const mine = await call('candidat.demo', 'GET', `/api/v1/me/trainings/${trainings.signer}/signatures/2026-03.pdf`);
      assert.equal(mine.statusCode, 200);
      assert.equal((await call('candidat.demo', 'GET', `/api/v1/me/trainings/${trainings.silent}/signatures/2026-03.pdf`)).statusCode, 404);
      assert.equal((await call('assiduite.demo', 'GET', `/api/v1/trainings/${trainings.signer}/signatures/mars.pdf`)).statusCode, 422);
      assert.equal((await call('candidat.demo2', 'GET', `/api/v1/me/trainings/${trainings.signer}/signatures/2026-03.pdf`)).statusCode, 404);
    });
  });
}
