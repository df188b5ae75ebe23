// The candidate's and the advisor's quote pages: the candidate's list
// and quote (training, dates, funded and NOT funded amounts), accept / decline through the form,
// errors shown in place with nothing changed, the advisor's queue and its filters, the decision
// form (reason required except to approve), the agreement link; access on every route (sign-in
// redirect, roles, another candidate's quote, CSRF) and the audit rows of the views.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { formatFrenchDate } from '../../src/modules/quotes/rules/holidays.js';
import { formatEuros, pedagogicalCostCents } from '../../src/modules/quotes/rules/money.js';
import { formatHours } from '../../src/modules/quotes/rules/schedule.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { csrfFromHtml, signInAs, type SignedIn } from '../helpers/session.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const LOGINS = ['devis.demo', 'devis.demo2', 'conseiller.demo', 'candidat.demo', 'candidat.demo2', 'rgc.demo'];
const cents = (euros: number) => Math.round(euros * 100);

/** A quote whose hourly rate (35 €/h) is above the 30 €/h threshold: submitted with a warning. */
function highRateQuote(today: string, weeksLater: number) {
  const q = validQuote(today, weeksLater);
  const hundredths = cents(q.training.centreHours);
  return { ...q, costs: { ...q.costs, hourlyRate: 35, pedagogicalCost: pedagogicalCostCents(hundredths, 3500) / 100 } };
}

for (const engine of ENGINES) {
  describe(`candidate and advisor quote pages (${engine})`, () => {
    let rt: TestRuntime;
    let today = '';
    const as: Record<string, SignedIn> = {};
    /** accepted through the form, then refused-in-place and approved by the advisor. */
    let accepted = '';
    /** declined through the form. */
    let declined = '';
    /** high hourly rate (warning), accepted, then changes requested. */
    let warned = '';
    /** Atelier Compétences Démo's, accepted: for the organisation filter. */
    let other = '';

    before(async () => {
      rt = await startTestRuntime(engine);
      for (const login of LOGINS) as[login] = await signInAs(rt.app, rt.clock, login);
      today = parisDay(rt.clock.now());
    });
    after(() => rt?.stop());

    const get = (who: string | null, url: string) => rt.app.inject({ method: 'GET', url, headers: who ? { cookie: as[who].cookie } : {} });
    /** A form post; `csrf: null` leaves the token out. */
    const post = (who: string | null, url: string, fields: Record<string, string> = {}, csrf: string | null = who ? as[who].csrfToken : null) =>
      rt.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: as[who].cookie } : {}) },
        payload: new URLSearchParams({ ...(csrf ? { _csrf: csrf } : {}), ...fields }).toString(),
      });
    async function api(who: string, method: 'GET' | 'POST', url: string, payload?: object, status = 200) {
      const res = await rt.app.inject({ method, url, headers: as[who].headers, ...(payload ? { payload } : {}) });
      assert.equal(res.statusCode, status, `${who} ${method} ${url}: ${res.body}`);
      return res.json();
    }
    async function submitted(body: object, who = 'devis.demo') {
      const q = await api(who, 'POST', '/api/v1/quotes', body, 201);
      await api(who, 'POST', `/api/v1/quotes/${q.id}/submit`);
      return q.id as string;
    }
    const statusOf = async (id: string) => (await rt.ctx.db.selectFrom('quote').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    const events = async (id: string) => rt.ctx.db.selectFrom('quote_event').select(['action', 'comment']).where('quote_id', '=', id).orderBy('seq').execute();
    const audits = async (action: string, id?: string) => {
      let q = rt.ctx.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).where('action', '=', action);
      if (id) q = q.where('target_id', '=', id);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };

    it('shows the candidate their list and the quote: training, dates, hours, funded and not funded amounts (view audited)', async () => {
      const body = validQuote(today, 0);
      accepted = await submitted(body);
      declined = await submitted(validQuote(today, 5));

      const home = await get('candidat.demo', '/mon-espace');
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /<h2 id="titre-mes-devis"[^>]*>Mes devis<\/h2>/);
      assert.match(home.body, new RegExp(`href="/mon-espace/devis/${accepted}">Titre professionnel Développeur web</a>`));
      assert.match(home.body, /en attente de votre réponse/);
      assert.match(home.body, /2 devis attendent votre réponse/);
      assert.match(home.body, /Formapro Démo/);
      assert.ok(home.body.includes(`du ${formatFrenchDate(body.training.startDate)} au ${formatFrenchDate(body.training.endDate)}`));
      const empty = await get('candidat.demo2', '/mon-espace');
      assert.match(empty.body, /Vous n’avez aucun devis pour le moment/);

      const viewsBefore = await audits('quote.viewed', accepted);
      const page = await get('candidat.demo', `/mon-espace/devis/${accepted}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<title>Devis de formation : Titre professionnel Développeur web — Kairos<\/title>/);
      assert.match(page.body, /Formapro Démo/);
      assert.ok(page.body.includes(`du ${formatFrenchDate(body.training.startDate)} au ${formatFrenchDate(body.training.endDate)}`));
      assert.match(page.body, /12 rue des Lilas, 75011 Paris/);
      assert.match(page.body, /lundi : 09:00–12:30, 13:30–17:00/);
      assert.ok(page.body.includes(`<span id="heures-prevues">${formatHours(cents(body.training.centreHours))}</span>`));
      assert.ok(page.body.includes(`<td class="text-end fw-semibold" id="montant-finance">${formatEuros(cents(body.costs.pedagogicalCost))}</td>`));
      assert.ok(page.body.includes(`<td class="text-end fw-semibold" id="montant-non-finance">${formatEuros(5050)}</td>`));
      assert.match(page.body, /Frais d’inscription \(non financé\)/);
      assert.match(page.body, /restent à votre charge ou à celle de l’organisme/);
      assert.match(page.body, /Montant financé par France Travail/);
      assert.match(page.body, /name="decision" value="accept"/);
      assert.match(page.body, /name="decision" value="decline"/);
      assert.match(page.body, /<input type="hidden" name="version" value="1"/);
      assert.match(page.body, /Soumission au candidat/, 'the timeline');
      assert.doesNotMatch(page.body, /devis\.demo/, 'no staff login shown to the candidate');
      assert.doesNotMatch(page.body, /lien-accord/, 'no agreement before approval');
      assert.equal(await audits('quote.viewed', accepted), viewsBefore + 1);
      const row = await rt.ctx.db.selectFrom('audit_log').select(['details', 'actor_id']).where('action', '=', 'quote.viewed').where('target_id', '=', accepted).orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal((row.details as { party: string }).party, 'candidate');
    });

    it('accepts through the form (303 and a confirmation); a second answer is refused in place, nothing changed', async () => {
      const page = await get('candidat.demo', `/mon-espace/devis/${accepted}`);
      const res = await post('candidat.demo', `/mon-espace/devis/${accepted}/decision`, { decision: 'accept', comment: 'Merci, cela me convient.', version: '1' }, csrfFromHtml(page.body));
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, `/mon-espace/devis/${accepted}?fait=accepte`);
      assert.equal(await statusOf(accepted), 'accepted');
      assert.deepEqual((await events(accepted)).at(-1), { action: 'accept', comment: 'Merci, cela me convient.' });

      const after = await get('candidat.demo', String(res.headers.location));
      assert.match(after.body, /role="status" id="avis">Vous avez accepté le devis/);
      assert.match(after.body, /accepté par vous, en attente de la décision du conseiller/);
      assert.doesNotMatch(after.body, /id="formulaire-decision"/, 'no form once answered');

      const eventsBefore = (await events(accepted)).length;
      const again = await post('candidat.demo', `/mon-espace/devis/${accepted}/decision`, { decision: 'decline', version: '1' });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /<title>Erreur — Devis de formation/);
      assert.match(again.body, /id="resume-erreurs"/);
      assert.match(again.body, /Impossible de décliner le devis/);
      assert.equal(await statusOf(accepted), 'accepted');
      assert.equal((await events(accepted)).length, eventsBefore);
    });

    it('declines with a comment', async () => {
      const res = await post('candidat.demo', `/mon-espace/devis/${declined}/decision`, { decision: 'decline', comment: 'Je préfère une session à distance.', version: '1' });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/mon-espace/devis/${declined}?fait=decline`);
      assert.equal(await statusOf(declined), 'declined');
      assert.deepEqual((await events(declined)).at(-1), { action: 'decline', comment: 'Je préfère une session à distance.' });
      const page = await get('candidat.demo', String(res.headers.location));
      assert.match(page.body, /Vous avez décliné le devis/);
      assert.match(page.body, /décliné par vous/);
      assert.match(page.body, /Je préfère une session à distance\./, 'the comment in the timeline');
    });

    it('refuses bad answers in place (comment too long, no decision, unknown decision, stale or bad version) and a missing CSRF token, storing nothing', async () => {
      warned = await submitted(highRateQuote(today, 10));
      const url = `/mon-espace/devis/${warned}/decision`;
      const eventsBefore = (await events(warned)).length;

      const long = await post('candidat.demo', url, { decision: 'accept', comment: 'x'.repeat(2001), version: '1' });
      assert.equal(long.statusCode, 422);
      assert.match(long.body, /<a class="alert-link" href="#comment">Commentaire \(comment\) : 2 000 caractères au maximum\.<\/a>/);
      assert.match(long.body, /<textarea[^>]*id="comment"[^>]*aria-invalid="true"[^>]*aria-describedby="comment-aide comment-erreur"/);
      assert.match(long.body, /id="comment-erreur" class="invalid-feedback">Commentaire \(comment\) : 2 000 caractères au maximum\./);
      assert.ok(long.body.includes('x'.repeat(2001)), 'the typed comment is kept');

      const none = await post('candidat.demo', url, { comment: 'Sans choix', version: '1' });
      assert.equal(none.statusCode, 422);
      assert.match(none.body, /href="#decision-accept">Décision \(decision\) : champ obligatoire\./);
      const unknown = await post('candidat.demo', url, { decision: 'approve', version: '1' });
      assert.equal(unknown.statusCode, 422);
      assert.match(unknown.body, /Décision \(decision\) : « accept » \(accepter\) ou « decline » \(décliner\)/);

      const stale = await post('candidat.demo', url, { decision: 'accept', version: '2' });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /vous avez consulté la version 2, la version actuelle est la 1/);
      assert.match(stale.body, /href="#statut"/);
      const badVersion = await post('candidat.demo', url, { decision: 'accept', version: 'deux' });
      assert.equal(badVersion.statusCode, 422);
      assert.match(badVersion.body, /Version \(version\) : nombre entier attendu/);

      const noCsrf = await post('candidat.demo', url, { decision: 'accept', version: '1' }, null);
      assert.equal(noCsrf.statusCode, 403);
      assert.match(noCsrf.body, /Jeton de sécurité \(CSRF\) absent ou invalide/);
      const wrongCsrf = await post('candidat.demo', url, { decision: 'accept', version: '1' }, as['candidat.demo2'].csrfToken);
      assert.equal(wrongCsrf.statusCode, 403);

      assert.equal(await statusOf(warned), 'submitted');
      assert.equal((await events(warned)).length, eventsBefore);
    });

    it('answers the French 404 for another candidate’s quote or an unknown id, 403 to staff, and sends anonymous visitors to sign in and back', async () => {
      for (const url of [`/mon-espace/devis/${warned}`, `/mon-espace/devis/${UNKNOWN_ID}`, '/mon-espace/devis/pas-un-identifiant']) {
        const res = await get('candidat.demo2', url);
        assert.equal(res.statusCode, 404, url);
        assert.match(res.body, /Ce devis est introuvable\./);
        assert.doesNotMatch(res.body, /Titre professionnel/);
      }
      const stranger = await post('candidat.demo2', `/mon-espace/devis/${warned}/decision`, { decision: 'decline', version: '1' });
      assert.equal(stranger.statusCode, 404);
      // Whatever was typed: another candidate's quote is a 404 before the answer is judged.
      const strangerInvalid = await post('candidat.demo2', `/mon-espace/devis/${warned}/decision`, { decision: 'peut-être', version: 'deux' });
      assert.equal(strangerInvalid.statusCode, 404);
      assert.doesNotMatch(strangerInvalid.body, /Titre professionnel/);
      assert.equal((await post('candidat.demo2', '/mon-espace/devis/pas-un-identifiant/decision', { decision: 'decline' })).statusCode, 404);
      assert.equal(await statusOf(warned), 'submitted');

      for (const who of ['devis.demo', 'conseiller.demo', 'rgc.demo']) {
        assert.equal((await get(who, '/mon-espace')).statusCode, 403, who);
        assert.equal((await get(who, `/mon-espace/devis/${warned}`)).statusCode, 403, who);
        assert.equal((await post(who, `/mon-espace/devis/${warned}/decision`, { decision: 'accept' })).statusCode, 403, who);
      }

      // The link of the submission mail, opened while signed out: sign in, then back to the quote.
      const anonymous = await get(null, `/mon-espace/devis/${warned}`);
      assert.equal(anonymous.statusCode, 303);
      assert.equal(anonymous.headers.location, `/connexion?suite=${encodeURIComponent(`/mon-espace/devis/${warned}`)}`);
      assert.equal((await get(null, '/mon-espace')).headers.location, '/connexion?suite=%2Fmon-espace');
      const anonymousPost = await post(null, `/mon-espace/devis/${warned}/decision`, { decision: 'accept' });
      assert.equal(anonymousPost.statusCode, 303);
      assert.match(String(anonymousPost.headers.location), /^\/connexion\?suite=/);
      assert.equal(await statusOf(warned), 'submitted');
    });

    it('leads a candidate from the portal to their space and an advisor from the Kairos home to the queue', async () => {
      const portal = await get('candidat.demo', '/portail');
      assert.match(portal.body, /id="lien-mon-espace"[^]*href="\/mon-espace"/);
      const kairos = await get('conseiller.demo', '/kairos');
      assert.match(kairos.body, /<a href="\/conseiller\/devis">File des devis à décider<\/a>/);
    });

    it('lists accepted quotes in the advisor queue, filters them, and shows bad filters in French (never a 5xx)', async () => {
      await api('candidat.demo', 'POST', `/api/v1/quotes/${warned}/candidate-decision`, { decision: 'accept' });
      other = await submitted({ ...validQuote(today, 15) }, 'devis.demo2');
      await api('candidat.demo', 'POST', `/api/v1/quotes/${other}/candidate-decision`, { decision: 'accept' });
      const orgs = await rt.ctx.db.selectFrom('organisation').select(['id', 'name']).where('kind', '=', 'training_provider').execute();
      const formapro = orgs.find((o) => o.name === 'Formapro Démo')!.id;

      const viewsBefore = await audits('quote.queue_viewed');
      const queue = await get('conseiller.demo', '/conseiller/devis');
      assert.equal(queue.statusCode, 200);
      assert.equal(await audits('quote.queue_viewed'), viewsBefore + 1);
      const rows = (html: string) => [...html.matchAll(/<tr data-quote="([0-9a-f-]{36})">/g)].map((m) => m[1]);
      assert.deepEqual(rows(queue.body).sort(), [accepted, warned, other].sort());
      assert.match(queue.body, /3 devis correspondent à ces critères/);
      assert.match(queue.body, /Martin Camille \(1234567A\)/);
      assert.match(queue.body, /Atelier Compétences Démo/);
      assert.match(queue.body, /moins d’un jour/);
      assert.match(queue.body, /<option value="accepted" selected>accepté par le candidat<\/option>/);
      assert.match(queue.body, new RegExp(`<option value="${formapro}">Formapro Démo</option>`));
      assert.doesNotMatch(queue.body, /<option value="[^"]*">France Travail<\/option>/, 'the agency writes no quotes');

      assert.deepEqual(rows((await get('conseiller.demo', `/conseiller/devis?organisation=${formapro}&startFrom=&startTo=&minWaitingDays=&warnings=`)).body).sort(), [accepted, warned].sort());
      const withWarnings = await get('conseiller.demo', '/conseiller/devis?warnings=with');
      assert.deepEqual(rows(withWarnings.body), [warned]);
      assert.match(withWarnings.body, /<strong class="text-warning-emphasis">1<\/strong>/);
      assert.deepEqual(rows((await get('conseiller.demo', '/conseiller/devis?warnings=without')).body).sort(), [accepted, other].sort());
      const later = validQuote(today, 15).training.startDate;
      assert.deepEqual(rows((await get('conseiller.demo', `/conseiller/devis?startFrom=${later}`)).body), [other]);
      const [y, m, d] = later.split('-');
      assert.deepEqual(rows((await get('conseiller.demo', `/conseiller/devis?startTo=${d}/${m}/${y}`)).body).sort(), [accepted, warned, other].sort(), 'jj/mm/aaaa accepted');
      assert.deepEqual(rows((await get('conseiller.demo', '/conseiller/devis?minWaitingDays=3')).body), []);
      assert.deepEqual(rows((await get('conseiller.demo', '/conseiller/devis?status=declined')).body), [declined]);

      const bad = await get('conseiller.demo', '/conseiller/devis?startFrom=2026-02-30&minWaitingDays=beaucoup&organisation=xyz&warnings=peut-etre&status=inconnu&page=0');
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /<title>Erreur — File des devis à décider — Kairos<\/title>/);
      assert.match(bad.body, /href="#startFrom">Début à partir du \(startFrom\) : date invalide, format aaaa-mm-jj attendu\./);
      assert.match(bad.body, /href="#minWaitingDays">Attente minimale \(minWaitingDays\) : nombre entier de jours attendu\./);
      assert.match(bad.body, /href="#organisation">Organisme \(organisation\) : identifiant invalide\./);
      assert.match(bad.body, /href="#warnings">Avertissements \(warnings\)/);
      assert.match(bad.body, /href="#status">Statut \(status\)/);
      assert.match(bad.body, /Page \(page\) : 1 au minimum\./);
      assert.match(bad.body, /id="minWaitingDays"[^>]*aria-invalid="true"/);
      assert.match(bad.body, /value="beaucoup"/, 'the typed value is kept');
      assert.doesNotMatch(bad.body, /data-quote=/);
      const weird = await rt.app.inject({ method: 'GET', url: '/conseiller/devis?status=accepted&status=declined&x=%00&minWaitingDays=99999999999999999999', headers: { cookie: as['conseiller.demo'].cookie } });
      // The NUL character is refused before any validation (http/body-parsers.ts), naming the field: never a 5xx.
      assert.equal(weird.statusCode, 422);
    });

    it('shows the advisor a quote with its warnings, funding and decision form (view audited)', async () => {
      const viewsBefore = await audits('quote.viewed', warned);
      const page = await get('conseiller.demo', `/conseiller/devis/${warned}`);
      assert.equal(page.statusCode, 200);
      assert.equal(await audits('quote.viewed', warned), viewsBefore + 1);
      assert.match(page.body, /<h2 id="titre-avertissements" class="h5">Un avertissement à examiner<\/h2>/);
      assert.match(page.body, /<li data-field="costs.hourlyRate">Taux horaire : 35,00/);
      assert.match(page.body, /Date de naissance/);
      assert.match(page.body, /id="montant-non-finance">50,50/);
      assert.match(page.body, /restent à la charge du candidat ou de l’organisme/);
      assert.match(page.body, /<input class="form-check-input" type="radio" name="decision" id="decision-approve" value="approve"/);
      assert.match(page.body, /<textarea[^>]*id="reason"[^>]*name="reason"/);
      assert.match(page.body, /Acceptation par le candidat/);
      const plain = await get('conseiller.demo', `/conseiller/devis/${accepted}`);
      assert.match(plain.body, /Aucun avertissement/);
    });

    it('takes the advisor’s decisions: a refusal without reason is shown under the field with nothing changed; changes requested; approval with the training and the agreement', async () => {
      const url = `/conseiller/devis/${accepted}/decision`;
      const eventsBefore = (await events(accepted)).length;
      const page = await get('conseiller.demo', `/conseiller/devis/${accepted}`);
      const noReason = await post('conseiller.demo', url, { decision: 'refuse', reason: '   ', version: '1' }, csrfFromHtml(page.body));
      assert.equal(noReason.statusCode, 422);
      assert.match(noReason.body, /href="#reason">Motif \(reason\) : obligatoire pour refuser le devis/);
      assert.match(noReason.body, /id="reason-erreur" class="invalid-feedback">Motif \(reason\) : obligatoire pour refuser le devis/);
      assert.match(noReason.body, /id="decision-refuse" value="refuse" checked/, 'the choice is kept');
      const noDecision = await post('conseiller.demo', url, { reason: 'Hésitation', version: '1' });
      assert.equal(noDecision.statusCode, 422);
      assert.match(noDecision.body, /href="#decision-approve">Décision \(decision\) : champ obligatoire\./);
      assert.match(noDecision.body, /id="decision-erreur" class="invalid-feedback d-block">Décision \(decision\) : champ obligatoire\./);
      assert.match(noDecision.body, />Hésitation<\/textarea>/);
      const tooLong = await post('conseiller.demo', url, { decision: 'refuse', reason: 'x'.repeat(2001), version: '1' });
      assert.equal(tooLong.statusCode, 422);
      assert.match(tooLong.body, /Motif \(reason\) : 2 000 caractères au maximum\./);
      const stale = await post('conseiller.demo', url, { decision: 'approve', version: '3' });
      assert.equal(stale.statusCode, 409);
      assert.equal((await post('conseiller.demo', url, { decision: 'approve', version: '1' }, null)).statusCode, 403);
      assert.equal(await statusOf(accepted), 'accepted');
      assert.equal((await events(accepted)).length, eventsBefore);

      const reason = 'Précisez le lieu exact de la période en entreprise.';
      const changes = await post('conseiller.demo', `/conseiller/devis/${warned}/decision`, { decision: 'request_changes', reason, version: '1' });
      assert.equal(changes.statusCode, 303, changes.body);
      assert.equal(changes.headers.location, `/conseiller/devis/${warned}?fait=modifications`);
      assert.equal(await statusOf(warned), 'changes_requested');
      assert.deepEqual((await events(warned)).at(-1), { action: 'request_changes', comment: reason });
      assert.match((await get('conseiller.demo', String(changes.headers.location))).body, /Les modifications sont demandées à l’organisme/);

      const approve = await post('conseiller.demo', url, { decision: 'approve', reason: '', version: '1' });
      assert.equal(approve.statusCode, 303, approve.body);
      assert.equal(approve.headers.location, `/conseiller/devis/${accepted}?fait=valide`);
      assert.equal(await statusOf(accepted), 'approved');
      const training = await rt.ctx.db.selectFrom('training').select('id').where('quote_id', '=', accepted).executeTakeFirstOrThrow();
      const confirmation = await get('conseiller.demo', String(approve.headers.location));
      assert.ok(confirmation.body.includes(`La formation est créée (identifiant ${training.id})`));
      assert.match(confirmation.body, new RegExp(`<a id="lien-accord" href="/api/v1/quotes/${accepted}/agreement.pdf">Télécharger l’accord de prise en charge \\(PDF\\)</a>`));
      assert.match(confirmation.body, /Référence <strong>APC-/);
      assert.doesNotMatch(confirmation.body, /id="formulaire-decision"/);
      for (const who of ['conseiller.demo', 'candidat.demo']) {
        const pdf = await get(who, `/api/v1/quotes/${accepted}/agreement.pdf`);
        assert.equal(pdf.statusCode, 200, who);
        assert.equal(pdf.headers['content-type'], 'application/pdf');
      }
      const candidatePage = await get('candidat.demo', `/mon-espace/devis/${accepted}`);
      assert.match(candidatePage.body, /validé par le conseiller/);
      assert.match(candidatePage.body, /id="lien-accord"/);
      assert.match(candidatePage.body, /Validation par le conseiller/);
      assert.match(candidatePage.body, /votre conseiller/);
      assert.doesNotMatch(candidatePage.body, /conseiller\.demo/);
    });

    it('keeps the advisor pages to advisors: 403 to a quote editor and a candidate, sign-in for anonymous visitors, 404 for unknown ids', async () => {
      for (const who of ['devis.demo', 'candidat.demo', 'rgc.demo']) {
        assert.equal((await get(who, '/conseiller/devis')).statusCode, 403, who);
        assert.equal((await get(who, `/conseiller/devis/${other}`)).statusCode, 403, who);
        assert.equal((await post(who, `/conseiller/devis/${other}/decision`, { decision: 'approve' })).statusCode, 403, who);
      }
      const anonymous = await get(null, '/conseiller/devis');
      assert.equal(anonymous.statusCode, 303);
      assert.equal(anonymous.headers.location, '/connexion?suite=%2Fconseiller%2Fdevis');
      assert.equal((await post(null, `/conseiller/devis/${other}/decision`, { decision: 'approve' })).statusCode, 303);
      for (const id of [UNKNOWN_ID, 'nimporte-quoi']) {
        const res = await get('conseiller.demo', `/conseiller/devis/${id}`);
        assert.equal(res.statusCode, 404);
        assert.match(res.body, /Ce devis est introuvable\./);
        assert.equal((await post('conseiller.demo', `/conseiller/devis/${id}/decision`, { decision: 'approve' })).statusCode, 404);
        assert.equal((await post('conseiller.demo', `/conseiller/devis/${id}/decision`, { decision: '' })).statusCode, 404, 'unknown before invalid');
      }
      // A draft (not yet submitted) is nobody's but its organisation's.
      const draft = await api('devis.demo', 'POST', '/api/v1/quotes', validQuote(today, 20), 201);
      assert.equal((await get('conseiller.demo', `/conseiller/devis/${draft.id}`)).statusCode, 404);
      assert.equal((await get('candidat.demo', `/mon-espace/devis/${draft.id}`)).statusCode, 404);
      assert.equal(await statusOf(other), 'accepted');
    });

    it('shows neither the candidate nor the advisor the content of a new version while the organisation is still editing it', async () => {
      await api('devis.demo', 'POST', `/api/v1/quotes/${warned}/new-version`);
      for (const [who, url] of [['candidat.demo', `/mon-espace/devis/${warned}`], ['conseiller.demo', `/conseiller/devis/${warned}`]] as const) {
        const page = await get(who, url);
        assert.equal(page.statusCode, 200, who);
        assert.match(page.body, /id="version-en-cours"/);
        assert.doesNotMatch(page.body, /35,00/, `${who}: the draft's figures are not shown`);
        assert.doesNotMatch(page.body, /id="formulaire-decision"/);
        assert.match(page.body, /Demande de modifications/, 'the timeline stays');
      }
      assert.match((await get('candidat.demo', `/mon-espace/devis/${warned}`)).body, /en cours de modification par l’organisme<\/strong>/);
    });
  });
}
