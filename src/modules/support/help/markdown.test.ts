import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSafeHref, renderMarkdown } from './markdown.js';

describe('help Markdown rendering', () => {
  it('renders headings, paragraphs, lists, code and inline marks', () => {
    const { html, text } = renderMarkdown('## Titre\n\nUn **mot** et `code`.\n\n- un\n- deux\n  suite\n\n1. premier\n2. second\n\n```\na;b\n```\n');
    assert.equal(
      html,
      '<h2 class="h5 mt-4">Titre</h2>\n<p>Un <strong>mot</strong> et <code>code</code>.</p>\n<ul><li>un</li><li>deux suite</li></ul>\n<ol><li>premier</li><li>second</li></ol>\n<pre><code>a;b</code></pre>',
    );
    assert.equal(text, 'Titre Un mot et code. un deux suite premier second a;b');
  });

  it('escapes raw HTML everywhere: text, code, link labels and attributes', () => {
    const { html } = renderMarkdown(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)"> <p style="color:red">x</p>\n\n`<b>` **<i>** [<em>lien</em>](/aide?a="b"&c)\n\n```\n</code><script>\n```',
    );
    assert.doesNotMatch(html, /<(script|img|p style|b>|i>|em>)/);
    assert.doesNotMatch(html, /<[^>]*(style|onerror)=/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /<a href="\/aide\?a=&quot;b&quot;&amp;c">&lt;em&gt;lien&lt;\/em&gt;<\/a>/);
    assert.match(html, /<pre><code>&lt;\/code&gt;&lt;script&gt;<\/code><\/pre>/);
  });

  it('keeps only http(s) and same-site links', () => {
    for (const href of ['https://example.org/x', 'http://example.org', '/aide/adhesion', '#section']) assert.ok(isSafeHref(href), href);
    for (const href of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', '//evil.example', '/\\evil.example', 'vbscript:x', 'mailto:a@b.c', 'ftp://x'])
      assert.ok(!isSafeHref(href), href);
    const { html } = renderMarkdown('[a](javascript:alert(1)) [b](//evil.example) [c](/aide)');
    assert.doesNotMatch(html, /href="(javascript|\/\/)/);
    assert.match(html, /^<p>a\)? b <a href="\/aide">c<\/a><\/p>$/);
  });
});
