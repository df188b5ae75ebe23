/**
 * Building blocks of the schemas every route declares on itself (params, query, body,
 * response): validation happens once, before the handler, and the same schemas describe the
 * API (OpenAPI). Conventions, see docs/decisions/0022-one-validation-path.md:
 * - request schemas are strict (an unexpected field is named in the 422) and carry French
 *   messages that name the field, as users read them as they are;
 * - a path parameter that does not fit its schema names nothing: the route answers 404, like
 *   for an unknown id (errors.tsx), with the schema's message as the detail;
 * - response schemas describe the JSON on the wire (dates as strings), checked in tests only.
 */
import { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const NOT_FOUND_DETAIL = "Cette ressource n'existe pas ou vous n'y avez pas accès.";

/** A UUID path parameter; anything else answers 404 with `notFoundDetail`. Lower-cased. */
export const uuidParam = (notFoundDetail = NOT_FOUND_DETAIL) =>
  z
    .string({ error: notFoundDetail })
    .regex(UUID, { error: notFoundDetail })
    .transform((v) => v.toLowerCase())
    .meta({ format: 'uuid' });

/** `{ id }` of routes such as `/api/v1/quotes/:id`. */
export const idParams = (notFoundDetail?: string) => z.strictObject({ id: uuidParam(notFoundDetail) });

const VALUE_PARAM = 'kairosValueParam';

/**
 * A path parameter that is a value the caller chooses rather than the name of something (the
 * month of `/trainings/:id/statements/:month`). A malformed value reveals nothing about what
 * exists, so it is refused like a query value, 422 naming the field, instead of the 404 of a
 * refused id (errors.tsx). `message` names the field and says what to write.
 */
export const valueParam = (check: (value: string) => boolean, message: string) =>
  z.string({ error: message }).refine(check, { error: message, params: { [VALUE_PARAM]: true } });

/** Whether a route validation issue comes from a `valueParam` (`params` as fastify-type-provider-zod passes them). */
export const isValueParamIssue = (params: unknown): boolean => (params as { params?: Record<string, unknown> } | undefined)?.params?.[VALUE_PARAM] === true;

/** A route without query parameters still declares it: unknown ones are refused by name. */
export const noQuery = z.strictObject({});

/**
 * Actions without a body (submit, approve…): nothing, or an empty JSON object. Fastify hands the
 * validator `null` for a request without a body, read here as "nothing".
 */
export const noBody = z.preprocess((v) => (v === null ? undefined : v), z.strictObject({}).optional());

/**
 * A body that may be left out, judged as the empty object `{}` (its required fields are then
 * named one by one, as they would be for `{}`). Fastify hands the validator `null` when there is
 * no body.
 */
export const emptyIfAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? {}, schema);

/** `page` of the paginated lists, 1-based. */
export const pageParam = z.coerce
  .number({ error: 'Page (page) : nombre entier attendu.' })
  .int('Page (page) : nombre entier attendu.')
  .min(1, 'Page (page) : 1 au minimum.')
  .max(10_000, 'Page (page) : 10 000 au maximum.')
  .default(1);

/** A calendar day as the API writes it. */
export const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ format: 'date' });
/** An instant as JSON writes a Date. */
export const isoInstant = z.string().meta({ format: 'date-time' });

/** RFC 9457 problem details, as `sendProblem` writes them (errors.tsx). */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string(), code: z.string().optional() })).optional(),
  })
  .meta({ description: 'Détail du problème (RFC 9457), en français.' });

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Requête mal formée.',
  401: 'Non connecté : session absente ou expirée.',
  403: 'Habilitation insuffisante, ou jeton CSRF absent.',
  404: 'Introuvable, ou hors de votre organisme.',
  409: 'Conflit avec l’état actuel (statut, version).',
  413: 'Contenu trop volumineux.',
  415: 'Format de contenu non pris en charge.',
  422: 'Données invalides : `errors` nomme chaque champ.',
  429: 'Trop de requêtes : voir `Retry-After`.',
};

/**
 * The problem answers a route may give besides its success, for the response schema:
 * 401 and 403 always exist on signed-in routes, add the others the route can produce.
 */
export function problemResponses(...statuses: number[]): Record<number, typeof problemSchema> {
  const out: Record<number, typeof problemSchema> = {};
  for (const status of statuses) out[status] = problemSchema.describe(PROBLEM_DESCRIPTIONS[status] ?? 'Problème.');
  return out;
}
