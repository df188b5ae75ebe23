import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs } from '../helpers/session.js';
import type { HelpArticle } from '../../src/modules/support/help/articles.js';
import { searchHelp } from '../../src/modules/support/help/search.js';

const CSV_HEADER = 'identifiant_candidat;session_carif_oref;date;demi_journee;statut;minutes_retard;motif;justifie';

interface ApiArticle {
  slug: string;
  title: string;
  topic: string;
  excerpt: string;
}

for (const engine of ENGINES) {
  describe(`help centre (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(async () => {
      await rt?.stop();
    });

    const api = async (q?: string) => {
      const res = await rt.app.inject({ url: '/api/v1/help/articles', query: q === undefined ? {} : { q } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as ApiArticle[];
    };

    it('lists every article in topic order without a query, signed out', async () => {
      const all = await api();
      assert.ok(all.length >= 12);
      assert.deepEqual(Object.keys(all[0]!).sort(), ['excerpt', 'slug', 'title', 'topic']);
      const topics = [...new Set(all.map((a) => a.topic))];
      assert.deepEqual(topics, ['acces', 'habilitations', 'devis', 'assiduite', 'securite', 'assistance']);
      assert.equal(all[0]!.slug, 'adhesion');
    });

    it('ranks a title match above a mention in the body', async () => {
      const hits = await api('revue des accès');
      assert.equal(hits[0]?.slug, 'revue-des-acces');
      assert.ok(hits.length > 1, 'other articles mention the review in their body');
      const abandon = await api('abandon');
      assert.equal(abandon[0]?.slug, 'abandon-et-bilan');
      const doc = (slug: string, title: string, text: string): HelpArticle => ({ slug, title, topic: 'acces', order: 1, html: '', text });
      const filler = 'Le portail liste les applications ouvertes et les sessions en cours de chaque utilisateur.';
      const ranked = await searchHelp(rt.ctx.db, [doc('a-corps', 'Questions diverses', `${filler} Parfois un tuteur est nommé.`), doc('b-titre', 'Le tuteur', filler)], 'tuteur');
      assert.deepEqual(ranked.map((h) => h.article.slug), ['b-titre', 'a-corps']);
    });

    it('ignores accents and case on both sides (aïf/AIF, assiduite/assiduité)', async () => {
      const aif = await api('aïf');
      assert.deepEqual(aif.map((a) => a.slug), (await api('AIF')).map((a) => a.slug));
      assert.ok(aif.some((a) => a.slug === 'saisir-un-devis'));
      assert.match(aif.find((a) => a.slug === 'saisir-un-devis')!.excerpt, /AIF/);
      const plain = await api('assiduite');
      assert.equal(plain[0]?.slug, 'declarer-assiduite');
      assert.deepEqual(plain.map((a) => a.slug), (await api('Assiduité')).map((a) => a.slug));
      assert.match(plain[0]!.excerpt, /assiduité/, 'the excerpt keeps the accents of the article');
      assert.doesNotMatch(plain[0]!.excerpt, /[\u27e6\u27e7<]/, 'the API excerpt is plain text');
    });

    it('highlights the matched words with <mark> on the results page', async () => {
      const res = await rt.app.inject({ url: '/aide/recherche?q=codes+de+secours' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<mark>secours<\/mark>/);
      assert.match(res.body, /href="\/aide\/activation-double-authentification"/);
      const first = res.body.indexOf('href="/aide/activation-double-authentification"');
      assert.ok(first > 0 && first < res.body.indexOf('href="/aide/bonnes-pratiques-securite"'));
    });

    it('refuses empty and over-long queries with a French field error (422)', async () => {
      for (const q of ['', '   ', 'x'.repeat(201)]) {
        const res = await rt.app.inject({ url: '/api/v1/help/articles', query: { q } });
        assert.equal(res.statusCode, 422, JSON.stringify(q));
        assert.equal(res.json().errors[0].field, 'q');
        assert.match(res.json().errors[0].message, /^Recherche : /);
        const page = await rt.app.inject({ url: '/aide/recherche', query: { q } });
        assert.equal(page.statusCode, 422);
        assert.match(page.body, /Recherche : /);
      }
      assert.equal((await api('x'.repeat(200))).length, 0);
      const twice = await rt.app.inject({ url: '/api/v1/help/articles?q=a&q=b' });
      assert.equal(twice.statusCode, 422);
      // The API names a parameter it does not know; the page, reached from bookmarks, ignores it.
      const unknown = await rt.app.inject({ url: '/api/v1/help/articles?q=code&tri=titre' });
      assert.equal(unknown.statusCode, 422);
      assert.deepEqual(unknown.json().errors.map((e: { field: string }) => e.field), ['tri']);
      assert.equal((await rt.app.inject({ url: '/aide/recherche?q=code&tri=titre' })).statusCode, 200);
      const missing = await rt.app.inject({ url: '/aide/recherche' });
      assert.equal(missing.statusCode, 422);
      assert.match(missing.body, /Recherche : saisissez/);
    });

    it('survives hostile queries without a 5xx and never reflects them unescaped', async () => {
      const hostile = [
        `'; drop table account; --`,
        `" OR 1=1 --`,
        '&|!:*',
        '!!! ((( ))) <-> <2> :* & |',
        '<script>alert(1)</script>',
        `"><img src=x onerror=alert(1)>`,
        '\\x00 \u0000 %00',
        'le la les',
        'aïf & !devis | (assiduité',
        '\u27e6mark\u27e7',
        'lone \ud800 surrogate',
      ];
      for (const q of hostile) {
        const res = await rt.app.inject({ url: '/api/v1/help/articles', query: { q } });
        assert.ok(res.statusCode < 500, `${q} → ${res.statusCode}`);
        const page = await rt.app.inject({ url: '/aide/recherche', query: { q } });
        assert.ok(page.statusCode < 500, `${q} → ${page.statusCode}`);
        assert.doesNotMatch(page.body, /<script>alert|<img src=x/);
      }
      const page = await rt.app.inject({ url: '/aide/recherche', query: { q: '<script>alert(1)</script>' } });
      assert.match(page.body, /&lt;script>alert\(1\)&lt;\/script>/, 'shown as text (JSX escapes < and &)');
      assert.equal((await rt.ctx.db.selectFrom('account').select('id').limit(1).execute()).length, 1, 'tables intact');
    });

    it('serves the help home, an article, and a French 404 for an unknown slug', async () => {
      const home = await rt.app.inject({ url: '/aide' });
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /<form method="get" action="\/aide\/recherche"/);
      assert.match(home.body, /Accès et connexion/);
      assert.doesNotMatch(home.body, /href="\/connexion/, 'no link to the partners’ sign-in page');
      const article = await rt.app.inject({ url: '/aide/declarer-assiduite' });
      assert.equal(article.statusCode, 200);
      assert.ok(article.body.includes(CSV_HEADER), 'the CSV header verbatim');
      assert.doesNotMatch(article.body, /style="/);
      for (const url of ['/aide/inconnu', '/aide/%3Cscript%3E', '/aide/..%2F..%2Fpackage.json']) {
        const missing = await rt.app.inject({ url });
        assert.equal(missing.statusCode, 404, url);
        assert.match(missing.body, /Cet article d’aide n’existe pas/);
        assert.doesNotMatch(missing.body, /<script>/);
      }
    });

    it('shows the Aide link in the header, signed out and signed in', async () => {
      assert.match((await rt.app.inject({ url: '/' })).body, /<a class="link-light" href="\/aide">Aide<\/a>/);
      const s = await signInAs(rt.app, rt.clock, 'devis.demo');
      const portal = await rt.app.inject({ url: '/portail', headers: { cookie: s.cookie } });
      assert.match(portal.body, /href="\/aide">Aide</);
      const signedIn = await rt.app.inject({ url: '/api/v1/help/articles?q=devis', headers: { cookie: s.cookie } });
      assert.equal(signedIn.statusCode, 200);
    });
  });
}
