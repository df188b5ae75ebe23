import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs } from '../helpers/session.js';

/** Every screen must be reachable by following links, and no link may lead to an error. */
for (const engine of ENGINES) {
  describe(`navigation (${engine})`, () => {
    let rt: TestRuntime;
    before(async () => {
      rt = await startTestRuntime(engine);
    });
    after(async () => {
      await rt?.stop();
    });

    const navLinks = (html: string) => {
      const nav = /<nav aria-label="Outils de gestion"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
      return [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    };

    for (const [login, expected] of [
      ['rgc.demo', ['/gid/revue', '/gid/politique-securite', '/gid/api', '/gid/responsable', '/gid/journal']],
      ['admin.agence', ['/admin/adhesions', '/admin/politiques-securite', '/admin/jetons-api', '/admin/changements-responsable', '/admin/journal', '/admin/courriels']],
    ] as const) {
      it(`${login} reaches each management screen from the GID home`, async () => {
        const s = await signInAs(rt.app, rt.clock, login);
        const home = await rt.app.inject({ url: '/gid', headers: { cookie: s.cookie } });
        assert.equal(home.statusCode, 200);
        const links = navLinks(home.body);
        assert.deepEqual(links, [...expected]);
        for (const href of links) {
          const page = await rt.app.inject({ url: href, headers: { cookie: s.cookie } });
          assert.equal(page.statusCode, 200, `${href} → ${page.statusCode}`);
        }
      });
    }
  });
}
