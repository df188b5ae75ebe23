// The quote's whole path through its three parties: draft with errors →
// fix → submit → candidate accepts → advisor requests changes → new version → approve →
// training record and agreement PDF; concurrent decisions, cancel, expiry and reminders,
// the candidate's and the advisor's reads (audited), tenant isolation and roles on every route.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { verifyAuditChain } from '../../src/modules/audit/service.js';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { sweepQuotes } from '../../src/modules/quotes/decision/expiry-jobs.js';
import { pdfText } from '../helpers/pdf.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const DAY = 86_400_000;
const LOGINS = ['devis.demo', 'devis.demo2', 'conseiller.demo', 'rgc.demo', 'assiduite.demo', 'candidat.demo', 'candidat.demo2'];

for (const engine of ENGINES) {
  describe(`quote decisions (${engine})`, () => {
    let rt: TestRuntime;
    let today = '';
    const as: Record<string, SignedIn> = {};
    async function signInAll() {
      for (const login of LOGINS) as[login] = await signInAs(rt.app, rt.clock, login);
      today = parisDay(rt.clock.now());
    }
    before(async () => {
      rt = await startTestRuntime(engine);
      await signInAll();
    });
    after(() => rt?.stop());

    const call = (who: string | null, method: Method, url: string, payload?: object): Promise<LightMyRequestResponse> =>
      rt.app.inject({ method, url, headers: who ? as[who].headers : {}, ...(payload ? { payload } : {}) });
    const ok = async (who: string, method: Method, url: string, payload?: object, status = 200) => {
      const res = await call(who, method, url, payload);
      assert.equal(res.statusCode, status, `${who} ${method} ${url}: ${res.body}`);
      return res.statusCode === 204 ? null : res.json();
    };
    const auditCount = async (action: string, target?: string) => {
      let q = rt.ctx.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).where('action', '=', action);
      if (target) q = q.where('target_id', '=', target);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    const mailsTo = async (to: string) =>
      (await rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'mail.send').orderBy('id').execute())
        .map((j) => j.payload as { to: string; subject: string; text: string })
        .filter((m) => m.to === to);
    const candidateEmail = async (identifier: string) =>
      (await rt.ctx.db.selectFrom('candidate').select('email').where('identifier', '=', identifier).executeTakeFirstOrThrow()).email;
    /** A quote submitted to candidat.demo, `weeksLater` weeks apart so open quotes never overlap. */
    async function submitted(weeksLater: number, who = 'devis.demo') {
      const q = await ok(who, 'POST', '/api/v1/quotes', validQuote(today, weeksLater), 201);
      await ok(who, 'POST', `/api/v1/quotes/${q.id}/submit`);
      return q.id as string;
    }

    it('goes the whole path: errors → fix → submit → accept → changes → new version → approve → training and agreement', async () => {
      // A draft with errors cannot be submitted; fixing it through PATCH lets it through.
      const good = validQuote(today, 0);
      const draft = await ok('devis.demo', 'POST', '/api/v1/quotes', { ...good, training: { ...good.training, place: null } }, 201);
      const refused = await call('devis.demo', 'POST', `/api/v1/quotes/${draft.id}/submit`);
      assert.equal(refused.statusCode, 422);
      assert.deepEqual(refused.json().errors.map((e: { field: string }) => e.field), ['training.place']);
      await ok('devis.demo', 'PATCH', `/api/v1/quotes/${draft.id}`, { training: good.training });
      const email = await candidateEmail('1234567A');
      const mailsBefore = (await mailsTo(email)).length;
      const sub = await ok('devis.demo', 'POST', `/api/v1/quotes/${draft.id}/submit`);
      assert.equal(sub.status, 'submitted');
      const mails = await mailsTo(email);
      assert.equal(mails.length, mailsBefore + 1);
      assert.match(mails.at(-1)!.text, new RegExp(`/mon-espace/devis/${draft.id}`));
      assert.doesNotMatch(mails.at(-1)!.text, /€/, 'no amounts in mail');

      // The candidate sees it in their list and reads it (audited), staff logins hidden; others see nothing.
      const mine = await ok('candidat.demo', 'GET', '/api/v1/me/quotes');
      assert.ok(mine.quotes.some((q: { id: string }) => q.id === draft.id));
      assert.ok(!(await ok('candidat.demo2', 'GET', '/api/v1/me/quotes')).quotes.some((q: { id: string }) => q.id === draft.id));
      const seen = await ok('candidat.demo', 'GET', `/api/v1/quotes/${draft.id}`);
      assert.deepEqual(seen.funding, { fundedAmount: good.costs.pedagogicalCost, notFundedAmount: 50.5, totalAmount: Math.round((good.costs.pedagogicalCost + 50.5) * 100) / 100 });
      assert.deepEqual(seen.warnings, []);
      assert.ok(!JSON.stringify(seen.timeline).includes('devis.demo'), 'staff logins are not shown to the candidate');
      assert.equal(await auditCount('quote.viewed', draft.id), 1);
      assert.equal((await call('candidat.demo2', 'GET', `/api/v1/quotes/${draft.id}`)).statusCode, 404);
      assert.equal((await call('candidat.demo2', 'POST', `/api/v1/quotes/${draft.id}/candidate-decision`, { decision: 'accept' })).statusCode, 404);

      // The candidate accepts with a comment; the advisor finds it in the queue.
      const badDecision = await call('candidat.demo', 'POST', `/api/v1/quotes/${draft.id}/candidate-decision`, { decision: 'oui' });
      assert.equal(badDecision.statusCode, 422);
      assert.match(badDecision.json().errors[0].message, /Décision/);
      const accepted = await ok('candidat.demo', 'POST', `/api/v1/quotes/${draft.id}/candidate-decision`, { decision: 'accept', comment: 'Merci, cela me convient.' });
      assert.equal(accepted.status, 'accepted');
      assert.equal((await call('candidat.demo', 'POST', `/api/v1/quotes/${draft.id}/candidate-decision`, { decision: 'decline' })).statusCode, 409);
      const queue = await ok('conseiller.demo', 'GET', '/api/v1/quote-queue');
      const entry = queue.quotes.find((q: { id: string }) => q.id === draft.id);
      assert.ok(entry, 'accepted quote in the advisor queue');
      assert.equal(entry.organisation.name, 'Formapro Démo');
      assert.equal(entry.waitingDays, 0);

      // A change request needs a reason; it then opens a new draft version carrying the comment.
      const noReason = await call('conseiller.demo', 'POST', `/api/v1/quotes/${draft.id}/decision`, { decision: 'request_changes', reason: '  ' });
      assert.equal(noReason.statusCode, 422);
      assert.equal(noReason.json().errors[0].field, 'reason');
      const reason = 'Précisez le lieu exact de la période en entreprise.';
      const changes = await ok('conseiller.demo', 'POST', `/api/v1/quotes/${draft.id}/decision`, { decision: 'request_changes', reason });
      assert.equal(changes.status, 'changes_requested');
      assert.equal(changes.trainingId, null);
      assert.equal((await call('devis.demo', 'PATCH', `/api/v1/quotes/${draft.id}`, { type: 'AIF' })).statusCode, 409, 'a submitted version is immutable');
      const v2 = await ok('devis.demo', 'POST', `/api/v1/quotes/${draft.id}/new-version`);
      assert.equal(v2.status, 'draft');
      assert.equal(v2.version, 2);
      assert.equal(v2.timeline.at(-1).comment, reason);
      await ok('devis.demo', 'PATCH', `/api/v1/quotes/${draft.id}`, { training: { ...good.training, place: '3 avenue du Port, 13002 Marseille' } });
      // Until it is submitted, the candidate and the advisor see the version they were shown, not the work in progress.
      for (const who of ['candidat.demo', 'conseiller.demo']) {
        const shown = await ok(who, 'GET', `/api/v1/quotes/${draft.id}`);
        assert.equal(shown.status, 'draft');
        assert.equal(shown.version, 1);
        assert.equal(shown.training.place, good.training.place, who);
      }
      await ok('devis.demo', 'POST', `/api/v1/quotes/${draft.id}/submit`);
      await ok('candidat.demo', 'POST', `/api/v1/quotes/${draft.id}/candidate-decision`, { decision: 'accept', version: 2 });
      const versions = await rt.ctx.db.selectFrom('quote_version').select(['version', 'data']).where('quote_id', '=', draft.id).orderBy('version').execute();
      assert.deepEqual(versions.map((v) => v.version), [1, 2]);
      assert.equal((versions[0].data as { training: { place: string } }).training.place, good.training.place, 'version 1 kept as submitted');

      // Deciding on a version that is not the current one is refused.
      const stale = await call('conseiller.demo', 'POST', `/api/v1/quotes/${draft.id}/decision`, { decision: 'approve', version: 1 });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.json().detail, /version 1/);

      // Approval: the answer carries the training record; the agreement goes to the three parties.
      const approved = await ok('conseiller.demo', 'POST', `/api/v1/quotes/${draft.id}/decision`, { decision: 'approve', version: 2 });
      assert.equal(approved.status, 'approved');
      assert.match(approved.trainingId, /^[0-9a-f-]{36}$/);
      const training = await rt.ctx.db.selectFrom('training').selectAll().where('id', '=', approved.trainingId).executeTakeFirstOrThrow();
      assert.equal(training.status, 'planned');
      assert.equal(training.quote_version, 2);
      assert.equal(training.start_date, good.training.startDate);
      assert.equal(training.carif_oref_session, good.training.carifOrefSession);
      for (const who of ['devis.demo', 'candidat.demo', 'conseiller.demo']) {
        const res = await call(who, 'GET', `/api/v1/quotes/${draft.id}/agreement.pdf`);
        assert.equal(res.statusCode, 200, who);
        assert.equal(res.headers['content-type'], 'application/pdf');
        assert.match(String(res.headers['content-disposition']), /^attachment; filename="accord-APC-/);
        assert.equal(res.rawPayload.subarray(0, 4).toString(), '%PDF');
        const text = await pdfText(res.rawPayload);
        assert.match(text, new RegExp(approved.agreementReference));
        assert.match(text, /Formapro Démo/);
        assert.match(text, /1234567A/);
        assert.match(text, /Montant non financé : 50,50/);
      }
      assert.equal(await auditCount('quote.agreement_downloaded', draft.id), 3);
      assert.equal((await call('devis.demo2', 'GET', `/api/v1/quotes/${draft.id}/agreement.pdf`)).statusCode, 404);
      assert.equal((await call('candidat.demo2', 'GET', `/api/v1/quotes/${draft.id}/agreement.pdf`)).statusCode, 404);

      // The timeline shows every version and transition, with who.
      const final = await ok('devis.demo', 'GET', `/api/v1/quotes/${draft.id}`);
      assert.deepEqual(
        final.timeline.map((e: { action: string; actor: string | null; version: number }) => [e.action, e.actor, e.version]),
        [
          ['create', 'devis.demo', 1],
          ['submit', 'devis.demo', 1],
          ['accept', 'candidat.demo', 1],
          ['request_changes', 'conseiller.demo', 1],
          ['new_version', 'devis.demo', 2],
          ['submit', 'devis.demo', 2],
          ['accept', 'candidat.demo', 2],
          ['approve', 'conseiller.demo', 2],
        ],
      );
      assert.equal(final.trainingId, approved.trainingId);
      for (const action of ['quote.submitted', 'quote.accepted', 'quote.changes_requested', 'quote.new_version', 'quote.approved']) {
        assert.ok((await auditCount(action, draft.id)) >= 1, action);
      }
      // Later actions on a decided quote are refused.
      assert.equal((await call('devis.demo', 'POST', `/api/v1/quotes/${draft.id}/cancel`, {})).statusCode, 409);
      assert.equal((await call('conseiller.demo', 'POST', `/api/v1/quotes/${draft.id}/decision`, { decision: 'refuse', reason: 'trop tard' })).statusCode, 409);
      assert.equal((await verifyAuditChain(rt.ctx.db)).ok, true);
    });

    it('two concurrent advisor decisions on one quote: exactly one wins, the other gets a 409', async () => {
      const id = await submitted(8);
      await ok('candidat.demo', 'POST', `/api/v1/quotes/${id}/candidate-decision`, { decision: 'accept' });
      const results = await Promise.all([
        call('conseiller.demo', 'POST', `/api/v1/quotes/${id}/decision`, { decision: 'approve' }),
        call('conseiller.demo', 'POST', `/api/v1/quotes/${id}/decision`, { decision: 'refuse', reason: 'Financement épuisé.' }),
      ]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
      const trainings = await rt.ctx.db.selectFrom('training').select('id').where('quote_id', '=', id).execute();
      const winner = results.find((r) => r.statusCode === 200)!.json();
      assert.equal(trainings.length, winner.status === 'approved' ? 1 : 0);
    });

    it('the candidate declines; the organisation cancels before a decision, not after', async () => {
      const declinedId = await submitted(16);
      const declined = await ok('candidat.demo', 'POST', `/api/v1/quotes/${declinedId}/candidate-decision`, { decision: 'decline', comment: 'J’ai trouvé une autre formation.' });
      assert.equal(declined.status, 'declined');
      assert.equal(declined.timeline.at(-1).comment, 'J’ai trouvé une autre formation.');
      const cancelId = await submitted(24);
      const tooLong = await call('devis.demo', 'POST', `/api/v1/quotes/${cancelId}/cancel`, { reason: 'x'.repeat(3000) });
      assert.equal(tooLong.statusCode, 422);
      const cancelled = await ok('devis.demo', 'POST', `/api/v1/quotes/${cancelId}/cancel`, { reason: 'Session annulée faute de participants.' });
      assert.equal(cancelled.status, 'cancelled');
      assert.equal(await auditCount('quote.cancelled', cancelId), 1);
      assert.equal((await call('candidat.demo', 'POST', `/api/v1/quotes/${cancelId}/candidate-decision`, { decision: 'accept' })).statusCode, 409);
    });

    it('reminds the candidate at day 7 and expires at day 15 without an answer, or when the start passes undecided', async () => {
      const email = await candidateEmail('1234567A');
      const unanswered = await submitted(32);
      const acceptedId = await submitted(40);
      await ok('candidat.demo', 'POST', `/api/v1/quotes/${acceptedId}/candidate-decision`, { decision: 'accept' });
      const reminders = async () => (await mailsTo(email)).filter((m) => m.subject.startsWith('Rappel')).length;
      const before = await reminders();
      rt.clock.advance(6 * DAY);
      assert.equal((await sweepQuotes(rt.ctx)).reminded, 0);
      rt.clock.advance(1 * DAY + 60_000);
      const sweep7 = await sweepQuotes(rt.ctx);
      assert.ok(sweep7.reminded >= 1);
      assert.equal(await reminders(), before + sweep7.reminded);
      assert.equal((await sweepQuotes(rt.ctx)).reminded, 0, 'one reminder only');
      rt.clock.advance(8 * DAY);
      await sweepQuotes(rt.ctx);
      const status = async (id: string) => (await rt.ctx.db.selectFrom('quote').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
      assert.equal(await status(unanswered), 'expired');
      assert.equal(await status(acceptedId), 'accepted', 'an accepted quote waits for the advisor until its start date');
      const events = await rt.ctx.db.selectFrom('quote_event').select(['action', 'actor_login', 'comment']).where('quote_id', '=', unanswered).orderBy('seq').execute();
      assert.deepEqual(events.at(-1), { action: 'expire', actor_login: null, comment: 'Sans réponse du candidat 15 jours après l’envoi.' });
      // Start date passed without a decision.
      const start = (await rt.ctx.db.selectFrom('quote').select('data').where('id', '=', acceptedId).executeTakeFirstOrThrow()).data as { training: { startDate: string } };
      rt.clock.set(new Date(`${start.training.startDate}T23:30:00Z`));
      await sweepQuotes(rt.ctx);
      assert.equal(await status(acceptedId), 'expired');
      assert.ok((await auditCount('quote.expired', acceptedId)) === 1);
      await signInAll();
    });

    it('templates: save a quote’s training under a name, list, rename, delete, start a quote from one; own organisation only', async () => {
      const q = await ok('devis.demo', 'POST', '/api/v1/quotes', validQuote(today, 48), 201);
      const t = await ok('devis.demo', 'POST', '/api/v1/quote-templates', { name: 'Développeur web — 4 semaines', quoteId: q.id }, 201);
      assert.equal(t.type, 'AIF');
      assert.equal(t.training.title, q.training.title);
      const dup = await call('devis.demo', 'POST', '/api/v1/quote-templates', { name: 'DÉVELOPPEUR WEB — 4 semaines'.replace('É', 'E').toLowerCase().replace('developpeur', 'développeur'), quoteId: q.id });
      assert.equal(dup.statusCode, 422);
      assert.match(dup.json().errors[0].message, /existe déjà/);
      for (const bad of [{}, { name: '' }, { name: 'x'.repeat(101), quoteId: q.id }, { name: 'Sans source' }, { name: 'Deux sources', quoteId: q.id, training: q.training }]) {
        assert.equal((await call('devis.demo', 'POST', '/api/v1/quote-templates', bad)).statusCode, 422, JSON.stringify(bad).slice(0, 80));
      }
      const fromTraining = await ok('devis.demo', 'POST', '/api/v1/quote-templates', { name: 'Direct', type: 'POEI', training: q.training }, 201);
      assert.equal(fromTraining.type, 'POEI');
      const list = await ok('devis.demo', 'GET', '/api/v1/quote-templates');
      assert.deepEqual(list.templates.map((x: { name: string }) => x.name), ['Développeur web — 4 semaines', 'Direct']);
      assert.deepEqual((await ok('devis.demo2', 'GET', '/api/v1/quote-templates')).templates, []);
      const renamed = await ok('devis.demo', 'PATCH', `/api/v1/quote-templates/${t.id}`, { name: 'Dev web' });
      assert.equal(renamed.name, 'Dev web');
      assert.equal((await call('devis.demo', 'PATCH', `/api/v1/quote-templates/${t.id}`, { name: 'direct' })).statusCode, 422);
      // From a template: the training comes from it.
      const { training: _t, ...rest } = validQuote(today, 56);
      const started = await ok('devis.demo', 'POST', '/api/v1/quotes', { ...rest, templateId: t.id }, 201);
      assert.equal(started.training.title, q.training.title);
      assert.equal((await call('devis.demo', 'POST', '/api/v1/quotes', { ...rest, templateId: '00000000-0000-4000-8000-000000000000' })).statusCode, 422);
      // Another organisation: 404 everywhere, nothing changed; and it cannot start from our template.
      for (const [method, payload] of [['GET'], ['PATCH', { name: 'Volé' }], ['DELETE']] as Array<[Method, object?]>) {
        assert.equal((await call('devis.demo2', method, `/api/v1/quote-templates/${t.id}`, payload)).statusCode, 404, method);
      }
      assert.equal((await call('devis.demo2', 'POST', '/api/v1/quotes', { ...rest, templateId: t.id })).statusCode, 422);
      // Ownership is checked before the new name: another organisation's template is a 404 whatever the body.
      assert.equal((await call('devis.demo2', 'PATCH', `/api/v1/quote-templates/${t.id}`, { name: '' })).statusCode, 404);
      assert.equal((await call('devis.demo', 'PATCH', `/api/v1/quote-templates/${t.id}`, { name: '' })).statusCode, 422);
      assert.equal((await call('devis.demo', 'PATCH', '/api/v1/quote-templates/pas-un-modele', { name: '' })).json().detail, 'Ce modèle de devis est introuvable.');
      assert.equal((await ok('devis.demo', 'GET', `/api/v1/quote-templates/${t.id}`)).name, 'Dev web');
      await ok('devis.demo', 'DELETE', `/api/v1/quote-templates/${t.id}`, undefined, 204);
      assert.equal((await call('devis.demo', 'GET', `/api/v1/quote-templates/${t.id}`)).statusCode, 404);
      assert.equal(await auditCount('quote_template.deleted', t.id), 1);
    });

    it('the advisor queue filters by organisation, start date, waiting time and warnings; bad filters are 422', async () => {
      const id = await submitted(64);
      await ok('candidat.demo', 'POST', `/api/v1/quotes/${id}/candidate-decision`, { decision: 'accept' });
      const org = (await ok('devis.demo', 'GET', `/api/v1/quotes/${id}`)).organisation.id;
      const ids = async (query: string) => (await ok('conseiller.demo', 'GET', `/api/v1/quote-queue${query}`)).quotes.map((q: { id: string }) => q.id);
      assert.ok((await ids(`?organisation=${org}`)).includes(id));
      assert.ok(!(await ids('?organisation=00000000-0000-4000-8000-000000000000')).includes(id));
      const start = (await ok('devis.demo', 'GET', `/api/v1/quotes/${id}`)).training.startDate;
      assert.ok((await ids(`?startFrom=${start}&startTo=${start}`)).includes(id));
      assert.ok(!(await ids(`?startTo=${today}`)).includes(id));
      assert.ok(!(await ids('?minWaitingDays=3')).includes(id));
      assert.ok((await ids('?warnings=without')).includes(id));
      assert.ok(!(await ids('?warnings=with')).includes(id));
      for (const q of ['?status=nope', '?startFrom=2026-02-30', '?minWaitingDays=-1', '?warnings=maybe', '?page=0', '?other=1']) {
        assert.equal((await call('conseiller.demo', 'GET', `/api/v1/quote-queue${q}`)).statusCode, 422, q);
      }
    });

    it('every new quote route: 401 without a session, 403 for the wrong role, 404 for another organisation or candidate, nothing changed', async () => {
      const id = await submitted(72);
      const status = async () => (await rt.ctx.db.selectFrom('quote').select(['status', 'version']).where('id', '=', id).executeTakeFirstOrThrow());
      const before = await status();
      const routes: Array<[Method, string, object | undefined, string[], string[]]> = [
        // method, url, body, roles refused with 403, roles answered 404 (not their quote)
        ['POST', `/api/v1/quotes/${id}/cancel`, {}, ['conseiller.demo', 'rgc.demo', 'assiduite.demo', 'candidat.demo'], ['devis.demo2']],
        ['POST', `/api/v1/quotes/${id}/new-version`, undefined, ['conseiller.demo', 'candidat.demo'], ['devis.demo2']],
        ['POST', `/api/v1/quotes/${id}/candidate-decision`, { decision: 'accept' }, ['devis.demo', 'conseiller.demo', 'rgc.demo'], ['candidat.demo2']],
        ['POST', `/api/v1/quotes/${id}/decision`, { decision: 'approve' }, ['devis.demo', 'rgc.demo', 'candidat.demo'], []],
        ['GET', `/api/v1/quotes/${id}/agreement.pdf`, undefined, ['rgc.demo', 'assiduite.demo'], ['devis.demo2', 'candidat.demo2']],
        ['GET', '/api/v1/quote-queue', undefined, ['devis.demo', 'rgc.demo', 'candidat.demo'], []],
        ['GET', '/api/v1/me/quotes', undefined, ['devis.demo', 'conseiller.demo'], []],
        ['GET', '/api/v1/quote-templates', undefined, ['conseiller.demo', 'candidat.demo', 'assiduite.demo'], []],
        ['POST', '/api/v1/quote-templates', { name: 'x', quoteId: id }, ['conseiller.demo', 'candidat.demo'], []],
      ];
      for (const [method, url, payload, forbidden, hidden] of routes) {
        assert.equal((await call(null, method, url, payload)).statusCode, 401, `anonymous ${method} ${url}`);
        for (const who of forbidden) assert.equal((await call(who, method, url, payload)).statusCode, 403, `${who} ${method} ${url}`);
        for (const who of hidden) {
          const res = await call(who, method, url, payload);
          assert.equal(res.statusCode, 404, `${who} ${method} ${url}`);
          assert.doesNotMatch(res.body, /Martin|1234567A|Formapro/);
        }
      }
      for (const url of [`/api/v1/quotes/pas-un-id/decision`, `/api/v1/quotes/00000000-0000-4000-8000-000000000000/decision`]) {
        assert.equal((await call('conseiller.demo', 'POST', url, { decision: 'approve' })).statusCode, 404);
      }
      assert.deepEqual(await status(), before);
      assert.equal((await rt.ctx.db.selectFrom('quote_template').select('id').where('name', '=', 'x').execute()).length, 0);
    });
  });
}
