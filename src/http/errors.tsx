import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isApiRequest } from './auth.js';
import { HttpProblem, fieldErrorsFrom, problems, titleFor, type FieldError } from './problem.js';
import { databaseUnavailableKind } from '../db/unavailable.js';
import { recordRequestError } from '../modules/support/error-references/service.js';
import { isValueParamIssue } from './schemas.js';
import { sendPage } from './render.js';

type RouteValidationError = FastifyError & {
  validation: Array<{ instancePath: string; message?: string; keyword: string; params: unknown }>;
  validationContext?: string;
};

/**
 * The field errors of a route schema's refusal, named as the service-level checks name them:
 * the path inside the body or query, one error per field, each unexpected key on its own.
 */
export function routeFieldErrors(error: RouteValidationError): FieldError[] {
  return fieldErrorsFrom(
    error.validation.map((v) => ({
      path: v.instancePath.split('/').filter(Boolean),
      message: v.message ?? 'Valeur invalide.',
      code: v.keyword,
      keys: (v.params as { keys?: string[] } | undefined)?.keys,
    })),
  );
}

/**
 * A path parameter that does not fit its schema names nothing: 404, with the schema's message.
 * Only a `valueParam` (a month in the path, not a name) is refused like a query value: 422.
 */
function paramsProblem(error: RouteValidationError): HttpProblem {
  const names = error.validation.filter((v) => !isValueParamIssue(v.params));
  if (names.length === 0) return problems.invalid(routeFieldErrors(error));
  return problems.notFound(names.find((v) => v.message)?.message);
}

/** Seconds a client should wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

function databaseProblem(error: unknown): HttpProblem | null {
  const kind = databaseUnavailableKind(error);
  if (!kind) return null;
  const detail =
    kind === 'timeout'
      ? 'Le traitement de votre demande a pris trop de temps et a été interrompu. Réessayez dans quelques instants ; rien n’a été enregistré.'
      : 'Le service est momentanément indisponible (base de données injoignable). Réessayez dans quelques instants ; rien n’a été enregistré.';
  return new HttpProblem(503, titleFor(503), detail, undefined, { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) });
}

/** Turns any error into the problem the user sees; unexpected ones become a generic 500. */
export function toProblem(error: unknown): { problem: HttpProblem; unexpected: boolean } {
  if (error instanceof HttpProblem) return { problem: error, unexpected: false };
  const unavailable = databaseProblem(error);
  if (unavailable) return { problem: unavailable, unexpected: false };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const routeError = error as RouteValidationError;
    const problem = routeError.validationContext === 'params' ? paramsProblem(routeError) : problems.invalid(routeFieldErrors(routeError));
    return { problem, unexpected: false };
  }
  const fe = error as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { problem: new HttpProblem(413, titleFor(413), 'Le contenu envoyé est trop volumineux.'), unexpected: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        problem: new HttpProblem(415, titleFor(415), "Ce format de contenu n'est pas accepté ici. Pour l'API, envoyez du JSON (application/json) ; pour un formulaire, utilisez la page du site."),
        unexpected: false,
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { problem: problems.badRequest('Le corps de la requête est vide ou mal formé.'), unexpected: false };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { problem: new HttpProblem(fe.statusCode, titleFor(fe.statusCode), 'La requête est invalide. Vérifiez-la puis réessayez.'), unexpected: false };
  }
  return {
    problem: new HttpProblem(500, titleFor(500), 'Une erreur inattendue est survenue. Réessayez plus tard ou contactez l’assistance en citant la référence.'),
    unexpected: true,
  };
}

function ErrorBody({ problem, reference, signedIn }: { problem: HttpProblem; reference: string; signedIn: boolean }) {
  return (
    <section aria-labelledby="titre-erreur">
      <h1 id="titre-erreur" class="h3">{problem.title}</h1>
      <p>{problem.detail}</p>
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li>{e.message}</li>
          ))}
        </ul>
      ) : null}
      <p class="alert alert-secondary">
        Référence à communiquer à l’assistance : <strong class="font-monospace">{reference}</strong>
      </p>
      {/* Signed-in users get the support form with the reference filled in; others, what to prepare. */}
      <p class="d-flex gap-3 flex-wrap align-items-center">
        {signedIn ? (
          <a class="btn btn-primary" href={`/support/demandes/nouvelle?reference=${encodeURIComponent(reference)}`}>Contacter l’assistance</a>
        ) : (
          <a href="/aide/contacter-assistance">Contacter l’assistance : ce qu’il faut préparer</a>
        )}
        <a href="/">Retour à l’accueil</a>
      </p>
    </section>
  );
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: HttpProblem) {
  reply.headers(problem.headers);
  if (isApiRequest(request)) {
    return reply
      .code(problem.status)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: problem.title,
        status: problem.status,
        detail: problem.detail,
        instance: request.url.split('?')[0],
        requestId: request.id,
        ...(problem.errors ? { errors: problem.errors } : {}),
      });
  }
  if (problem.status === 401) {
    const next = encodeURIComponent(request.url.split('?')[0]);
    return reply.redirect(`/connexion?suite=${next}`, 303);
  }
  return sendPage(request, reply, problem.title, () => <ErrorBody problem={problem} reference={request.id} signedIn={!!request.actor} />, problem.status);
}

/**
 * Keeps what support needs behind the reference shown to the user (docs/product/support.md#error-references): never the body, the
 * query string or the path (they can carry personal data), only the route pattern, the status,
 * who, and the error's class and message (scrubbed). A failure here must not hide the answer.
 */
async function rememberError(app: FastifyInstance, request: FastifyRequest, problem: HttpProblem, cause: unknown, unexpected: boolean) {
  // An anonymous 401 is the normal way to reach the sign-in page, not an incident; a 503 for an
  // unreachable database cannot be written to it (and would make the client wait longer).
  if (problem.status === 401 || problem.status === 503) return;
  const err = cause as (Error & { code?: string }) | undefined;
  try {
    await recordRequestError(app.ctx.db, {
      requestId: request.id,
      at: app.ctx.clock.now(),
      method: request.method,
      route: request.routeOptions?.url ?? '(aucune route)',
      status: problem.status,
      accountId: request.actor?.accountId ?? null,
      organisationId: request.actor?.organisation?.id ?? null,
      errorClass: unexpected ? `${err?.name ?? 'Error'}${err?.code ? ` ${err.code}` : ''}` : err?.code ?? 'HttpProblem',
      message: unexpected ? String(err?.message ?? err) : problem.detail,
    });
  } catch (recordErr) {
    request.log.warn({ err: recordErr }, 'could not record the error reference');
  }
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (error, request, reply) => {
    const { problem, unexpected } = toProblem(error);
    if (unexpected) request.log.error({ err: error }, 'unexpected error');
    else if (problem.status === 503) {
      app.ctx.metrics.databaseUnavailable.inc({ source: 'request' });
      request.log.warn({ err: error }, 'database unavailable');
    }
    else request.log.info({ status: problem.status, code: (error as FastifyError).code }, 'request refused');
    await rememberError(app, request, problem, error, unexpected);
    return sendProblem(request, reply, problem);
  });
  app.setNotFoundHandler({}, async (request, reply) => {
    const problem = problems.notFound(isApiRequest(request) ? "Cette ressource n'existe pas." : "Cette page n'existe pas.");
    await rememberError(app, request, problem, undefined, false);
    return sendProblem(request, reply, problem);
  });
}

/**
 * Errors Fastify raises before any hook runs (a malformed percent-encoding, an over-long path
 * parameter). Its default answer is English JSON that echoes the path, without our security
 * headers; this one is a French problem document that echoes nothing, API or page alike (no
 * session or cookie has been read yet, so no page can be rendered).
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : error.code === 'FST_ERR_BAD_URL' ? 400 : 500;
  request.log.info({ status, code: error.code }, 'request refused by the router');
  return reply
    .code(status)
    .headers({
      'content-type': 'application/problem+json',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cache-control': 'no-store',
      'x-request-id': request.id,
    })
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: titleFor(status),
        status,
        detail: status === 414 ? 'L’adresse demandée est trop longue.' : 'L’adresse demandée est mal formée (caractères mal encodés). Vérifiez-la puis réessayez.',
        requestId: request.id,
      }),
    );
}
