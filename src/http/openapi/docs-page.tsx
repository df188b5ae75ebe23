/**
 * `/api/docs`: the OpenAPI document for people, rendered by Swagger UI served from node_modules
 * (never a CDN) and started by an external script, so the site's CSP holds: no inline script,
 * and no inline style either (Swagger UI sets styles through the DOM, which CSP allows). Without
 * JavaScript the page lists every operation and links the raw document.
 */
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { publicAccess } from '../../modules/habilitations/policy.js';
import { renderDocument } from '../render.js';
import { OPENAPI_PATH } from './document.js';
import { PROJECT_ROOT } from '../../project-root.js';

export const API_DOCS_PATH = '/api/docs';
const SWAGGER_UI_PREFIX = '/assets/swagger-ui/';
const SWAGGER_UI_FILES = new Set(['/swagger-ui.css', '/swagger-ui-bundle.js']);
const root = PROJECT_ROOT;

interface Operation {
  method: string;
  path: string;
  summary: string;
}

type Paths = Record<string, Record<string, { summary?: string }>>;

function operationsOf(document: { paths?: Paths }): Operation[] {
  return Object.entries(document.paths ?? {}).flatMap(([p, item]) =>
    Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path: p, summary: op.summary ?? '' })),
  );
}

function DocsPage({ operations }: { operations: Operation[] }) {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Documentation de l’API — Kairos</title>
        <link rel="stylesheet" href={`${SWAGGER_UI_PREFIX}swagger-ui.css`} />
      </head>
      <body>
        <main>
          <h1>Documentation de l’API Kairos</h1>
          <p>
            Document OpenAPI : <a href={OPENAPI_PATH}>{OPENAPI_PATH}</a>.
          </p>
          <div id="swagger-ui" data-url={OPENAPI_PATH}></div>
          <noscript>
            <h2>Opérations</h2>
            <ul>
              {operations.map((op) => (
                <li key={`${op.method} ${op.path}`}>
                  <code>
                    {op.method} {op.path}
                  </code>{' '}
                  — {op.summary}
                </li>
              ))}
            </ul>
          </noscript>
        </main>
        <script src={`${SWAGGER_UI_PREFIX}swagger-ui-bundle.js`} defer></script>
        <script src="/assets/api-docs.js" defer></script>
      </body>
    </html>
  );
}

export async function apiDocsRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules/swagger-ui-dist'),
    prefix: SWAGGER_UI_PREFIX,
    decorateReply: false,
    allowedPath: (p) => SWAGGER_UI_FILES.has(p),
    maxAge: 3_600_000,
  });
  app.get(API_DOCS_PATH, { config: { access: publicAccess } }, async (_request, reply) => {
    const html = renderDocument(<DocsPage operations={operationsOf(app.swagger() as { paths?: Paths })} />);
    return reply.type('text/html; charset=utf-8').send(html);
  });
}
