// The quote editor's pages: list, form with errors in place and nothing
// stored, save, fix, submit, the read-only record, the live summary fragment, templates, and the
// access rules (sign-in redirect, roles, another organisation's ids, CSRF).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { addDays, isoWeekday } from '../../src/modules/quotes/rules/holidays.js';
import { pedagogicalCostCents } from '../../src/modules/quotes/rules/money.js';
import { formatHours, minutesToHundredths, plannedMinutes } from '../../src/modules/quotes/rules/schedule.js';
import { FULL_TIME } from '../../src/modules/quotes/rules/test-fixtures.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** A quote that passes every rule on `today`: four weeks from the first Monday a month away. */
function validQuote(today: string, weeksLater = 0) {
  let start = addDays(today, 30 + 7 * weeksLater);
  while (isoWeekday(start) !== 1) start = addDays(start, 1);
  const end = addDays(start, 25);
  const hundredths = minutesToHundredths(plannedMinutes(FULL_TIME, start, end));
  return {
    type: 'AIF',
    candidate: { identifier: '1234567A', lastName: 'Martin', birthDate: '1990-04-12' },
    training: {
      title: 'Titre professionnel Développeur web',
      carifOrefSession: 'SE_0000123456',
      formacode: '31054',
      certification: 'RNCP37674' as string | null,
      startDate: start,
      endDate: end,
      schedule: FULL_TIME,
      centreHours: hundredths / 100,
      companyHours: 0,
      place: '12 rue des Lilas, 75011 Paris' as string | null,
      distanceLearning: false,
    },
    costs: { hourlyRate: 12.5, pedagogicalCost: pedagogicalCostCents(hundredths, 1250) / 100, otherLines: [{ label: 'Frais d’inscription', amount: 50.5 }] },
    poei: null,
  };
}
type Quote = ReturnType<typeof validQuote>;

const comma = (n: number) => String(n).replace('.', ',');

/** The quote as the editor form posts it. */
function formOf(q: Quote, action = 'enregistrer'): Record<string, string> {
  const t = q.training;
  const f: Record<string, string> = {
    action,
    type: q.type,
    'candidate.identifier': q.candidate.identifier,
    'candidate.lastName': q.candidate.lastName,
    'candidate.birthDate': q.candidate.birthDate,
    'training.title': t.title,
    'training.carifOrefSession': t.carifOrefSession,
    'training.formacode': t.formacode,
    'training.certification': t.certification ?? '',
    'training.startDate': t.startDate,
    'training.endDate': t.endDate,
    'training.centreHours': comma(t.centreHours),
    'training.companyHours': comma(t.companyHours),
    'training.place': t.place ?? '',
    'costs.hourlyRate': comma(q.costs.hourlyRate),
    'costs.pedagogicalCost': comma(q.costs.pedagogicalCost),
  };
  if (t.distanceLearning) f['training.distanceLearning'] = 'oui';
  t.schedule.forEach((r, i) => Object.assign(f, { [`training.schedule.${i}.weekday`]: String(r.weekday), [`training.schedule.${i}.from`]: r.from, [`training.schedule.${i}.to`]: r.to }));
  q.costs.otherLines.forEach((l, i) => Object.assign(f, { [`costs.otherLines.${i}.label`]: l.label, [`costs.otherLines.${i}.amount`]: comma(l.amount) }));
  return f;
}

for (const engine of ENGINES) {
  describe(`quote editor pages (${engine})`, () => {
    let rt: TestRuntime;
    let today = '';
    const as: Record<string, SignedIn> = {};
    before(async () => {
      rt = await startTestRuntime(engine);
      today = parisDay(rt.clock.now());
      for (const login of ['devis.demo', 'devis.demo2', 'assiduite.demo', 'conseiller.demo', 'candidat.demo']) as[login] = await signInAs(rt.app, rt.clock, login);
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
    const api = (who: string, method: 'GET' | 'POST', url: string, payload?: object) => rt.app.inject({ method, url, headers: as[who].headers, ...(payload ? { payload } : {}) });
    const count = async (table: 'quote' | 'quote_template' | 'quote_event') => Number((await rt.ctx.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const idFrom = (res: LightMyRequestResponse) => {
      const m = /^\/devis\/([0-9a-f-]{36})\?fait=/.exec(String(res.headers.location));
      assert.ok(m, `redirect to a quote page: ${res.statusCode} ${res.headers.location} ${res.body.slice(0, 300)}`);
      return m[1];
    };
    async function createByApi(who = 'devis.demo', body: object = validQuote(today)) {
      const res = await api(who, 'POST', '/api/v1/quotes', body);
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string };
    }

    it('refuses bad input in place (summary + field messages in French, typed values kept), storing nothing, never a 5xx', async () => {
      const before = [await count('quote'), await count('quote_event')];
      const fields = {
        ...formOf(validQuote(today)),
        'training.title': 'x'.repeat(10_000),
        'training.startDate': 'demain',
        'training.endDate': '2026-02-30',
        'training.centreHours': '-3',
        'costs.hourlyRate': '12,345',
        'costs.pedagogicalCost': '999999999999',
        'training.schedule.1.weekday': '1',
        'training.schedule.1.from': '11:00',
        'training.schedule.1.to': '13:00',
      };
      const res = await post('devis.demo', '/devis/nouveau', fields);
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /id="resume-erreurs"/);
      for (const id of ['training-title', 'training-startDate', 'training-endDate', 'training-centreHours', 'costs-hourlyRate', 'costs-pedagogicalCost', 'training-schedule-1-from']) {
        assert.ok(res.body.includes(`href="#${id}"`), `summary links to #${id}`);
        assert.match(res.body, new RegExp(`id="${id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${id}"`), `${id} marked invalid`);
        assert.ok(res.body.includes(`id="${id}-erreur"`), `${id} has its message`);
      }
      assert.match(res.body, /Intitulé de la formation : 200 caractères au maximum/);
      assert.match(res.body, /Heures en centre : la valeur ne peut pas être négative/);
      assert.match(res.body, /Taux horaire : 2 décimales au maximum/);
      assert.match(res.body, /Date de fin : date invalide/);
      assert.match(res.body, /chevauche celle de la ligne 1/);
      assert.match(res.body, /value="demain"/, 'what was typed is shown again');
      assert.match(res.body, /<title>Erreur — Nouveau devis — Kairos<\/title>/);

      // Hostile shapes: repeated names, absurd values, nothing at all.
      for (const odd of [
        'type=AIF&type=POEI&training.title=a&training.title=b',
        'training.schedule.0.weekday=9&training.schedule.0.from=25:00&training.schedule.0.to=x&costs.otherLines.0.amount=-1',
        'type=XYZ&poei.contractType=forever&poei.contractMonths=1e9',
        '',
      ]) {
        const r = await rt.app.inject({
          method: 'POST',
          url: '/devis/nouveau',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: as['devis.demo'].cookie },
          payload: `_csrf=${as['devis.demo'].csrfToken}&${odd}`,
        });
        assert.equal(r.statusCode, 422, odd);
        assert.match(r.body, /id="resume-erreurs"/);
      }
      const poei = await post('devis.demo', '/devis/nouveau', { ...formOf(validQuote(today)), type: 'POEI', 'poei.contractMonths': 'six' });
      assert.equal(poei.statusCode, 422);
      assert.match(poei.body, /Type de contrat : choisissez dans la liste/);
      assert.match(poei.body, /Durée du contrat \(mois\) : nombre entier de mois attendu/);
      // An unknown candidate trio: stored nothing, said on the candidate section.
      const stranger = await post('devis.demo', '/devis/nouveau', { ...formOf(validQuote(today)), 'candidate.lastName': 'Inconnu' });
      assert.equal(stranger.statusCode, 422);
      assert.ok(stranger.body.includes('href="#candidate-identifier"'));
      assert.match(stranger.body, /aucun candidat ne correspond/);
      assert.deepEqual([await count('quote'), await count('quote_event')], before);
    });

    it('saves a draft from the form (jj/mm/aaaa accepted), shows it with its summary, then fixes and submits it; the record is read-only', async () => {
      const good = validQuote(today, 10);
      const [y, m, d] = good.training.startDate.split('-');
      const created = await post('devis.demo', '/devis/nouveau', { ...formOf(good), 'training.startDate': `${d}/${m}/${y}`, 'training.formacode': '' });
      assert.equal(created.statusCode, 303, created.body.slice(0, 500));
      const id = idFrom(created);
      const stored = (await api('devis.demo', 'GET', `/api/v1/quotes/${id}`)).json();
      assert.deepEqual({ ...stored.training, formacode: '31054' }, good.training, 'the form gives the same quote as the API');
      assert.deepEqual(stored.costs, good.costs);

      const page = await get('devis.demo', `/devis/${id}?fait=enregistre`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Le brouillon est enregistré/);
      assert.match(page.body, /id="formulaire-devis"/);
      assert.match(page.body, /value="Titre professionnel Développeur web"/);
      const hours = formatHours(Math.round(good.training.centreHours * 100));
      assert.ok(page.body.includes(`${hours} du`), 'planned hours in the summary');
      assert.match(page.body, /Concordent avec les heures prévues/);
      assert.match(page.body, /aria-live="polite"/);
      assert.match(page.body, /hx-post="\/devis\/apercu"/);
      assert.match(page.body, /Création du brouillon/, 'timeline');

      // Submitting with a rule error: the draft is saved, the errors are listed and placed.
      const refused = await post('devis.demo', `/devis/${id}`, { ...formOf(good, 'soumettre'), 'training.formacode': '', 'costs.pedagogicalCost': '1' });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /ne peut pas encore être soumis/);
      for (const anchor of ['training-formacode', 'costs-pedagogicalCost']) assert.ok(refused.body.includes(`href="#${anchor}"`), anchor);
      assert.match(refused.body, /Formacode : champ obligatoire/);
      assert.equal((await api('devis.demo', 'GET', `/api/v1/quotes/${id}`)).json().costs.pedagogicalCost, 1, 'saved before the check');

      const submitted = await post('devis.demo', `/devis/${id}`, formOf(good, 'soumettre'));
      assert.equal(submitted.statusCode, 303, submitted.body.slice(0, 500));
      assert.equal(submitted.headers.location, `/devis/${id}?fait=soumis`);
      const record = await get('devis.demo', submitted.headers.location!);
      assert.match(record.body, /Statut : <strong>soumis au candidat<\/strong>/);
      assert.doesNotMatch(record.body, /id="formulaire-devis"/, 'no editor form for a submitted version');
      assert.match(record.body, /Soumission au candidat/);
      assert.match(record.body, /brouillon → soumis au candidat/);
      assert.match(record.body, /Annuler le devis/);
      assert.match(record.body, /Récapitulatif/);
      // Submitted versions are immutable: the form post is refused, nothing changes.
      const events = await count('quote_event');
      const late = await post('devis.demo', `/devis/${id}`, { ...formOf(good), 'training.title': 'Changé' });
      assert.equal(late.statusCode, 409);
      assert.equal((await api('devis.demo', 'GET', `/api/v1/quotes/${id}`)).json().training.title, good.training.title);
      assert.equal(await count('quote_event'), events);
    });

    it('shows warnings as such, next to their field and in their own summary', async () => {
      const q = validQuote(today, 20);
      const hundredths = Math.round(q.training.centreHours * 100);
      const res = await post('devis.demo', '/devis/nouveau', { ...formOf(q), 'costs.hourlyRate': '40', 'costs.pedagogicalCost': comma(pedagogicalCostCents(hundredths, 4000) / 100) });
      const page = await get('devis.demo', String(res.headers.location));
      assert.match(page.body, /id="resume-avertissements"/);
      assert.match(page.body, /ils n’empêchent pas la soumission/);
      assert.match(page.body, /id="costs-hourlyRate-avertissement"/);
      assert.doesNotMatch(page.body, /id="resume-erreurs"/);
    });

    it('answers the live summary fragment from the form as typed, storing nothing; CSRF and role required', async () => {
      const before = [await count('quote'), await count('quote_event')];
      const q = validQuote(today);
      const res = await post('devis.demo', '/devis/apercu', formOf(q));
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.doesNotMatch(res.body, /<html|<form/);
      const hours = formatHours(Math.round(q.training.centreHours * 100));
      assert.ok(res.body.includes(`${hours} du`), res.body);
      assert.ok(res.body.includes('1\u00a0752,00\u00a0€') || /Concordent/.test(res.body));
      const partial = await post('devis.demo', '/devis/apercu', { 'training.startDate': 'n’importe quoi', 'costs.otherLines.0.amount': 'abc', 'training.centreHours': '1e999' });
      assert.equal(partial.statusCode, 200);
      assert.match(partial.body, /À calculer/);
      assert.match(partial.body, /Un montant illisible/);
      assert.equal((await post('devis.demo', '/devis/apercu', formOf(q), null)).statusCode, 403);
      assert.equal((await post('devis.demo', '/devis/apercu', formOf(q), 'faux-jeton')).statusCode, 403);
      assert.equal((await post('assiduite.demo', '/devis/apercu', formOf(q))).statusCode, 403);
      assert.deepEqual([await count('quote'), await count('quote_event')], before);
    });

    it('lists the organisation’s quotes with filters and pages, never another organisation’s', async () => {
      await createByApi('devis.demo2', { ...validQuote(today, 30), training: { ...validQuote(today, 30).training, title: 'Formation de l’Atelier' } });
      const list = await get('devis.demo', '/devis');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /href="\/devis\/nouveau"/);
      assert.match(list.body, /href="\/devis\/modeles"/);
      assert.match(list.body, /Titre professionnel Développeur web/);
      assert.doesNotMatch(list.body, /Formation de l’Atelier/);
      assert.match((await get('devis.demo', '/devis?status=submitted')).body, /soumis au candidat/);
      assert.match((await get('devis.demo', '/devis?status=approved')).body, /Aucun devis ne correspond à ces critères/);
      assert.match((await get('devis.demo', '/devis?q=1234567')).body, /1234567A/);
      for (const odd of ['/devis?status=bogus&page=abc', '/devis?page=999999999', `/devis?q=${'%25'.repeat(300)}`, '/devis?page=50']) {
        assert.equal((await get('devis.demo', odd)).statusCode, 200, odd);
      }
      // 20 a page: more drafts give a second page.
      for (let i = 0; i < 20; i++) await createByApi('devis.demo', validQuote(today, 40 + i));
      const first = await get('devis.demo', '/devis');
      assert.match(first.body, /Page 1 sur 2/);
      assert.match(first.body, /href="\/devis\?page=2"/);
      assert.match((await get('devis.demo', '/devis?page=2')).body, /Page 2 sur 2/);
    });

    it('cancels a quote and opens a new version after a change request, each step on the timeline', async () => {
      const { id } = await createByApi('devis.demo', validQuote(today, 70));
      const cancelled = await post('devis.demo', `/devis/${id}/annuler`);
      assert.equal(cancelled.statusCode, 303);
      const page = await get('devis.demo', String(cancelled.headers.location));
      assert.match(page.body, /Le devis est annulé/);
      assert.match(page.body, /Statut : <strong>annulé<\/strong>/);
      assert.match(page.body, /Annulation/);
      assert.equal((await post('devis.demo', `/devis/${id}/annuler`)).statusCode, 409);

      const q2 = await createByApi('devis.demo', validQuote(today, 80));
      assert.equal((await api('devis.demo', 'POST', `/api/v1/quotes/${q2.id}/submit`)).statusCode, 200);
      assert.equal((await api('candidat.demo', 'POST', `/api/v1/quotes/${q2.id}/candidate-decision`, { decision: 'accept' })).statusCode, 200);
      const decided = await api('conseiller.demo', 'POST', `/api/v1/quotes/${q2.id}/decision`, { decision: 'request_changes', reason: 'Précisez le lieu des stages.' });
      assert.equal(decided.statusCode, 200, decided.body);
      const asked = await get('devis.demo', `/devis/${q2.id}`);
      assert.match(asked.body, /Créer une nouvelle version/);
      const opened = await post('devis.demo', `/devis/${q2.id}/nouvelle-version`);
      assert.equal(opened.statusCode, 303);
      const draft = await get('devis.demo', String(opened.headers.location));
      assert.match(draft.body, /id="formulaire-devis"/);
      assert.match(draft.body, /version 2/);
      assert.match(draft.body, /Modifications demandées par le conseiller/);
      assert.match(draft.body, /Précisez le lieu des stages/);
      for (const step of ['Création du brouillon', 'Soumission au candidat', 'Acceptation par le candidat', 'Demande de modifications', 'Nouvelle version']) assert.ok(draft.body.includes(step), step);
    });

    it('saves the training as a template, lists, renames, deletes, and starts a quote from it; errors in place', async () => {
      const before = await count('quote_template');
      const { id } = await createByApi('devis.demo', validQuote(today, 90));
      const empty = await post('devis.demo', `/devis/${id}/modele`, { name: '   ' });
      assert.equal(empty.statusCode, 422);
      assert.ok(empty.body.includes('href="#modele-nom"'));
      assert.match(empty.body, /id="modele-nom-erreur"/);
      const long = await post('devis.demo', `/devis/${id}/modele`, { name: 'm'.repeat(5000) });
      assert.equal(long.statusCode, 422);
      assert.match(long.body, /100 caractères au maximum/);
      assert.equal(await count('quote_template'), before);

      const saved = await post('devis.demo', `/devis/${id}/modele`, { name: 'Développeur web — 4 semaines' });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/devis/modeles?fait=cree');
      const dup = await post('devis.demo', `/devis/${id}/modele`, { name: 'développeur web — 4 SEMAINES' });
      assert.equal(dup.statusCode, 422);
      assert.match(dup.body, /existe déjà/);
      const list = await get('devis.demo', '/devis/modeles?fait=cree');
      assert.match(list.body, /Le modèle est enregistré/);
      const templateId = /data-template="([0-9a-f-]{36})"/.exec(list.body)?.[1];
      assert.ok(templateId, list.body.slice(0, 2000));

      const start = await get('devis.demo', `/devis/nouveau?modele=${templateId}`);
      assert.equal(start.statusCode, 200);
      assert.match(start.body, /Formation reprise du modèle « Développeur web — 4 semaines »/);
      assert.match(start.body, /value="Titre professionnel Développeur web"/);
      assert.match(start.body, new RegExp(`name="modele" value="${templateId}"`));
      assert.ok(/name="candidate\.identifier" type="text" value /.test(start.body), 'the candidate is left to fill');
      // The quote started from it records the template in its creation's audit row.
      const fromTemplate = await post('devis.demo', '/devis/nouveau', { ...formOf(validQuote(today, 95)), modele: templateId! });
      const newId = idFrom(fromTemplate);
      const audit = await rt.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'quote.created').where('target_id', '=', newId).executeTakeFirstOrThrow();
      assert.equal((audit.details as { template: string }).template, templateId);

      const badRename = await post('devis.demo', `/devis/modeles/${templateId}/renommer`, { name: '' });
      assert.equal(badRename.statusCode, 422);
      assert.ok(badRename.body.includes(`href="#modele-${templateId}-nom"`));
      const renamed = await post('devis.demo', `/devis/modeles/${templateId}/renommer`, { name: 'Développeur web' });
      assert.equal(renamed.statusCode, 303);
      assert.match((await get('devis.demo', '/devis/modeles')).body, />Développeur web</);

      // Another organisation's template: 404 everywhere, nothing changed.
      assert.equal((await get('devis.demo2', `/devis/nouveau?modele=${templateId}`)).statusCode, 404);
      assert.equal((await post('devis.demo2', `/devis/modeles/${templateId}/renommer`, { name: 'Volé' })).statusCode, 404);
      assert.equal((await post('devis.demo2', `/devis/modeles/${templateId}/renommer`, { name: '' })).statusCode, 404, 'ownership before the name');
      assert.equal((await post('devis.demo2', `/devis/modeles/${templateId}/supprimer`)).statusCode, 404);
      assert.doesNotMatch((await get('devis.demo2', '/devis/modeles')).body, /Développeur web/);
      assert.equal((await get('devis.demo', '/devis/nouveau?modele=zzz')).statusCode, 404);

      const deleted = await post('devis.demo', `/devis/modeles/${templateId}/supprimer`);
      assert.equal(deleted.statusCode, 303);
      assert.match((await get('devis.demo', '/devis/modeles?fait=supprime')).body, /aucun modèle/);
      assert.equal(await count('quote_template'), before);
    });

    it('redirects anonymous visitors to sign-in, refuses other roles (403) and other organisations’ ids (404), and forms without CSRF', async () => {
      const { id } = await createByApi('devis.demo', validQuote(today, 100));
      const before = [await count('quote'), await count('quote_event'), await count('quote_template')];
      for (const url of ['/devis', '/devis/nouveau', `/devis/${id}`, '/devis/modeles']) {
        const res = await get(null, url);
        assert.equal(res.statusCode, 303, url);
        assert.match(String(res.headers.location), /^\/connexion\?suite=/);
      }
      for (const url of ['/devis/nouveau', `/devis/${id}`, '/devis/apercu', `/devis/${id}/annuler`, `/devis/${id}/modele`]) {
        const res = await post(null, url, formOf(validQuote(today)));
        assert.equal(res.statusCode, 303, url);
        assert.match(String(res.headers.location), /^\/connexion\?suite=/);
      }
      for (const who of ['assiduite.demo', 'conseiller.demo']) {
        for (const url of ['/devis', '/devis/nouveau', `/devis/${id}`, '/devis/modeles']) assert.equal((await get(who, url)).statusCode, 403, `${who} ${url}`);
        assert.equal((await post(who, '/devis/nouveau', formOf(validQuote(today)))).statusCode, 403, who);
      }
      const stranger = await get('devis.demo2', `/devis/${id}`);
      assert.equal(stranger.statusCode, 404);
      assert.doesNotMatch(stranger.body, /Développeur web|Martin/);
      for (const url of [`/devis/${id}`, `/devis/${id}/annuler`, `/devis/${id}/nouvelle-version`, `/devis/${id}/modele`]) {
        assert.equal((await post('devis.demo2', url, { ...formOf(validQuote(today)), name: 'Volé' })).statusCode, 404, url);
        // Whatever was typed: the quote is looked up before the form is judged.
        assert.equal((await post('devis.demo2', url, { 'training.startDate': 'demain', name: '' })).statusCode, 404, `${url} (invalid form)`);
      }
      for (const url of [`/devis/${UNKNOWN_ID}`, '/devis/zzz', '/devis/1%27%20or%201=1']) assert.equal((await get('devis.demo', url)).statusCode, 404, url);
      for (const csrf of [null, 'faux-jeton', as['devis.demo2'].csrfToken]) {
        assert.equal((await post('devis.demo', '/devis/nouveau', formOf(validQuote(today)), csrf)).statusCode, 403, String(csrf));
        assert.equal((await post('devis.demo', `/devis/${id}/annuler`, {}, csrf)).statusCode, 403, String(csrf));
      }
      assert.deepEqual([await count('quote'), await count('quote_event'), await count('quote_template')], before);
      assert.equal((await api('devis.demo', 'GET', `/api/v1/quotes/${id}`)).json().status, 'draft');
    });

    it('shows quote editors the way to the quotes from the Kairos application home', async () => {
      const home = await get('devis.demo', '/kairos');
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /href="\/devis"/);
      assert.doesNotMatch((await get('assiduite.demo', '/kairos')).body, /href="\/devis"/);
    });
  });
}
