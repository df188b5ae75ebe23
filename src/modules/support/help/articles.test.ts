import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HELP_TOPICS, loadArticles, normaliseForSearch, parseArticle } from './articles.js';
import { MARK_END, MARK_START, excerptParts, restoreAccents } from './search.js';

const CSV_HEADER = 'identifiant_candidat;session_carif_oref;date;demi_journee;statut;minutes_retard;motif;justifie';

describe('help articles', () => {
  const articles = loadArticles();

  it('covers every topic, with unique slugs and 150 to 500 words each', () => {
    for (const topic of HELP_TOPICS) assert.ok(articles.some((a) => a.topic === topic.code), topic.code);
    assert.equal(new Set(articles.map((a) => a.slug)).size, articles.length);
    for (const a of articles) {
      const words = a.text.split(/\s+/).filter((w) => /\p{L}|\d/u.test(w)).length;
      assert.ok(words >= 150 && words <= 500, `${a.slug}: ${words} words`);
      assert.ok(!a.text.includes(MARK_START) && !a.text.includes(MARK_END), a.slug);
      assert.doesNotMatch(a.html, /href="\/connexion/, `${a.slug} must not link to the partners' sign-in page`);
    }
  });

  it('gives the attendance CSV header verbatim', () => {
    const attendance = articles.find((a) => a.slug === 'declarer-assiduite');
    assert.ok(attendance?.html.includes(`<pre><code>${CSV_HEADER}</code></pre>`));
  });

  it('refuses a bad front matter', () => {
    assert.throws(() => parseArticle('no front matter', 'x.md'), /front matter/);
    assert.throws(() => parseArticle('---\nslug: Bad Slug\ntitle: t\ntopic: acces\norder: 1\n---\nx', 'x.md'), /slug/);
    assert.throws(() => parseArticle('---\nslug: ok\ntitle: t\ntopic: autre\norder: 1\n---\nx', 'x.md'), /topic/);
  });
});

describe('accent-free search text', () => {
  it('drops diacritics and case, one unit for one', () => {
    assert.equal(normaliseForSearch('Assiduité AÏF Œuvre ça'), 'assiduite aif œuvre ca');
    const s = 'Élève İstanbul 😀 déjà';
    assert.equal(normaliseForSearch(s).length, s.length);
  });

  it('puts the highlight back on the accented text', () => {
    const original = 'Déclarez l’assiduité du mois. Fin.';
    const headline = `l’${MARK_START}assiduite${MARK_END} du mois`;
    const restored = restoreAccents(headline, original);
    assert.equal(restored, `… l’${MARK_START}assiduité${MARK_END} du mois …`);
    assert.deepEqual(excerptParts(restored), [
      { text: '… l’', marked: false },
      { text: 'assiduité', marked: true },
      { text: ' du mois …', marked: false },
    ]);
  });
});
