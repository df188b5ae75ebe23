/**
 * The OpenAPI 3.1 document of the partner API, generated from the routes themselves
 * (docs/decisions/0036-openapi-from-the-routes.md): each /api/v1 route declares its schemas and
 * French `summary` in `schema`, its access rule in `config.access`; nothing is written per route
 * here. @fastify/swagger collects the routes as they are registered, fastify-type-provider-zod
 * turns the zod schemas into JSON Schema, and the transform below adds what the project knows:
 * who may call, how to authenticate, and the problem details of each error answer.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccessRule } from '../../modules/habilitations/policy.js';
import { publicAccess } from '../../modules/habilitations/policy.js';
import { CSRF_HEADER } from '../csrf.js';
import { titleFor } from '../problem.js';
import { problemResponses, problemSchema } from '../schemas.js';
import { canForbid, describeAccess, securityFor } from './access.js';

export const OPENAPI_PATH = '/api/openapi.json';
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const PROBLEM_REF = '#/components/schemas/Problem';

type SwaggerTransform = typeof jsonSchemaTransform;
type TransformInput = Parameters<SwaggerTransform>[0];
type JsonObject = Record<string, unknown>;

const PROBLEM_EXAMPLE = {
  type: 'about:blank',
  title: 'Données invalides',
  status: 422,
  detail: 'Certaines données sont invalides : corrigez les champs indiqués puis réessayez.',
  instance: '/api/v1/quotes',
  requestId: '5f0c6a43-6f1e-4b53-9a0e-8d2b3f3b1c11',
  errors: [{ field: 'trainingTitle', message: 'Intitulé de la formation (trainingTitle) : obligatoire.' }],
};

/** Problem details answered whatever the route declares: sign-in, role and rate limit. */
function impliedProblems(rule: AccessRule): number[] {
  if (rule.kind === 'public') return [429];
  return canForbid(rule) ? [401, 403, 429] : [401, 429];
}

/** An error answer as problem details: the shared schema under its media type. */
function problemResponse(status: number, declared: unknown): JsonObject {
  const description = (declared as { description?: string } | undefined)?.description ?? problemResponses(status)[status].description ?? titleFor(status);
  return { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: PROBLEM_REF } } } };
}

/**
 * Per route: hide everything but /api/v1, convert the zod schemas, then describe the access
 * rule, the security requirements and the error answers.
 */
export const openApiTransform: SwaggerTransform = (input: TransformInput) => {
  const { url, route } = input;
  const rule = (route.config as { access?: AccessRule } | undefined)?.access;
  if (!url.startsWith('/api/v1/') || !rule || !input.schema) return { schema: { hide: true }, url };
  // A body declared per media type (`{ content: { 'text/csv': { schema } } }`) is converted
  // here: the zod transform only knows a bare schema.
  const { body, ...declared } = input.schema as JsonObject;
  const perMediaType = (body as { content?: Record<string, { schema: z.ZodType }> } | undefined)?.content;
  const converted = jsonSchemaTransform({ ...input, schema: perMediaType ? declared : input.schema }) as { schema: JsonObject; url: string };
  const schema = { ...converted.schema };
  if (perMediaType) schema.body = { content: mapValues(perMediaType, ({ schema: s }) => ({ schema: toJson(s, 'input') })) };
  const method = [route.method].flat()[0]?.toUpperCase() ?? 'GET';

  const response: JsonObject = {};
  for (const [status, declared] of Object.entries((schema.response ?? {}) as JsonObject)) {
    response[status] = Number(status) >= 400 ? problemResponse(Number(status), declared) : declared;
  }
  for (const status of impliedProblems(rule)) response[status] ??= problemResponse(status, undefined);
  schema.response = response;

  const access = describeAccess(rule);
  const extra = typeof schema.description === 'string' ? `\n\n${schema.description}` : '';
  schema.description = `**Accès** : ${access}.${extra}`;
  schema['x-kairos-access'] = rule;
  schema.security = securityFor(rule, method);
  return { schema, url: converted.url };
};

function toJson(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io, target: 'draft-2020-12' }) as JsonObject;
  return json;
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

/** The whole document: the problem schema every error answer refers to. */
function withProblemComponent(document: JsonObject): JsonObject {
  const problem = toJson(problemSchema, 'output');
  const components = (document.components ?? {}) as JsonObject;
  return {
    ...document,
    components: {
      ...components,
      schemas: { ...(components.schemas as JsonObject | undefined), Problem: { ...problem, examples: [PROBLEM_EXAMPLE] } },
    },
  };
}

/** Registers the collector; must come before the routes (it listens to their registration). */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'API Kairos',
        version: '1',
        description:
          'API des organismes de formation et de leurs logiciels de gestion : devis de financement, suivi des formations, assiduité. ' +
          'Guide : docs/api.md (authentification, idempotence, webhooks, erreurs, limites). Les erreurs sont des « problem details » (RFC 9457) en français.',
      },
      servers: [{ url: app.ctx.config.publicUrl }],
      components: {
        securitySchemes: {
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'kairos_session',
            description: 'Session du navigateur, ouverte par POST /api/v1/session (nommée `__Host-kairos_session` en HTTPS).',
          },
          csrfHeader: {
            type: 'apiKey',
            in: 'header',
            name: CSRF_HEADER,
            description: 'Jeton CSRF de la session (renvoyé à l’ouverture de session), exigé avec le cookie sur POST, PUT, PATCH et DELETE.',
          },
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'krs_…',
            description:
              'Jeton d’API d’un organisme (préfixe `krs_`), créé par son responsable de gestion des comptes : il agit avec les seuls rôles qui lui ont été donnés. Pas de jeton CSRF avec un jeton d’API.',
          },
        },
      },
    },
    transform: openApiTransform,
    transformObject: (document) => withProblemComponent((document as unknown as { openapiObject: JsonObject }).openapiObject),
  });
}

/** `GET /api/openapi.json`: the document, public (it describes the API, never its data). */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  app.get(OPENAPI_PATH, { config: { access: publicAccess } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return app.swagger();
  });
}
