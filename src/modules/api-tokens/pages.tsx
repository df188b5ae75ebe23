/**
 * The token pages, working without JavaScript: /gid/api for the account manager (list, creation
 * form, the new secret shown once on the answer to the form, revocation) and /admin/jetons-api
 * for the agency's administrators (every organisation's tokens, revocation).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDateTime } from '../../http/format.js';
import { formErrors, throwIfParamsRefused } from '../../http/forms.js';
import { HttpProblem, type FieldError } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { sendPage } from '../../http/render.js';
import { idParams } from '../../http/schemas.js';
import { CsrfField } from '../../http/views/layout.js';
import { Field, FormErrors } from '../../http/views/form.js';
import { accountManagerOnly, agencyAdminOnly } from '../habilitations/access.js';
import { noticeOf, redirectAfterPost } from '../habilitations/forms.js';
import { TOKEN_ROLES } from './rules.js';
import { allowedIps, tokenExpiry, tokenName, tokenRoles } from './schemas.js';
import { createToken, listTokens, revokeToken, type TokenView } from './service.js';

const ROLE_LABELS: Record<string, string> = { quote_editor: 'Rédaction des devis', attendance_officer: 'Déclaration de l’assiduité', reader: 'Consultation' };
const STATUS_LABELS: Record<TokenView['status'], string> = { active: 'Actif', expired: 'Expiré', revoked: 'Révoqué' };

/** The form's fields as the API reads them: roles as checkboxes, a day for the expiry, one address per line. */
const tokenForm = z.preprocess(
  (body) => {
    const f = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    const day = text(f.expiresAt).trim();
    return {
      name: text(f.name),
      roles: f.roles === undefined ? [] : [f.roles].flat(),
      // The end of the chosen day in Paris (winter offset: in summer, an hour into the next day).
      expiresAt: /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T23:59:59+01:00` : day,
      allowedIps: text(f.allowedIps).split(/[\s,;]+/).filter(Boolean),
    };
  },
  z.object({ name: tokenName, roles: tokenRoles, expiresAt: tokenExpiry, allowedIps }),
);

interface FormValues {
  name: string;
  roles: string[];
  expiresAt: string;
  allowedIps: string;
}
/** The revocation buttons post nothing but the CSRF field. */
const revokeForm = z.object({});

const EMPTY: FormValues = { name: '', roles: [], expiresAt: '', allowedIps: '' };

function sentValues(request: FastifyRequest): FormValues {
  const f = (request.body ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 2000) : '');
  return { name: text(f.name), roles: [f.roles ?? []].flat().filter((r): r is string => typeof r === 'string'), expiresAt: text(f.expiresAt), allowedIps: text(f.allowedIps) };
}

function TokenTable({ tokens, revokeAction, csrf, showOrganisation }: { tokens: TokenView[]; revokeAction: (t: TokenView) => string; csrf: string; showOrganisation: boolean }) {
  if (tokens.length === 0) return <p>Aucun jeton d’API.</p>;
  return (
    <table class="table align-middle">
      <caption class="visually-hidden">Jetons d’API</caption>
      <thead>
        <tr>
          {showOrganisation ? <th scope="col">Organisme</th> : null}
          <th scope="col">Nom</th><th scope="col">Rôles</th><th scope="col">Adresses autorisées</th><th scope="col">Expire le</th>
          <th scope="col">Dernière utilisation</th><th scope="col">État</th><th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((t) => (
          <tr data-token={t.id}>
            {showOrganisation ? <td>{t.organisationName}</td> : null}
            <td>{t.name}</td>
            <td>{t.roles.map((r) => ROLE_LABELS[r] ?? r).join(', ')}</td>
            <td>{t.allowedIps.length ? t.allowedIps.join(', ') : 'Toutes'}</td>
            <td>{formatDateTime(t.expiresAt)}</td>
            <td>{t.lastUsedAt ? `${formatDateTime(t.lastUsedAt)} (${t.lastUsedIp ?? 'adresse inconnue'})` : 'Jamais'}</td>
            <td>{STATUS_LABELS[t.status]}{t.revokedAt ? ` le ${formatDateTime(t.revokedAt)}` : ''}</td>
            <td>
              {t.status === 'active' ? (
                <form method="post" action={revokeAction(t)}>
                  <CsrfField token={csrf} />
                  <button type="submit" class="btn btn-sm btn-outline-danger" aria-label={`Révoquer le jeton ${t.name}`}>Révoquer</button>
                </form>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CreateForm({ values, errors, csrf }: { values: FormValues; errors: FieldError[]; csrf: string }) {
  const rolesError = errors.find((e) => e.field === 'roles')?.message;
  return (
    <form method="post" action="/gid/api" novalidate>
      <CsrfField token={csrf} />
      <Field name="name" label="Nom du jeton" required maxLength={100} value={values.name} errors={errors} help="Le logiciel qui l’utilisera, par exemple « Logiciel de gestion des formations »." />
      <fieldset class="mb-3" aria-describedby={rolesError ? 'roles-erreur' : undefined}>
        <legend class="form-label fs-6" id="roles">Rôles du jeton <span aria-hidden="true">*</span></legend>
        {TOKEN_ROLES.map((role) => (
          <div class="form-check">
            <input class={`form-check-input${rolesError ? ' is-invalid' : ''}`} type="checkbox" name="roles" value={role} id={`role-${role}`} checked={values.roles.includes(role)} />
            <label class="form-check-label" for={`role-${role}`}>{ROLE_LABELS[role]}</label>
          </div>
        ))}
        {rolesError ? <div id="roles-erreur" class="invalid-feedback d-block">{rolesError}</div> : null}
      </fieldset>
      <Field name="expiresAt" label="Expire à la fin du jour" type="date" required value={values.expiresAt} errors={errors} help="Au plus un an après aujourd’hui. Vous serez prévenu par courriel 14 jours avant." />
      <Field name="allowedIps" label="Adresses IP autorisées" multiline value={values.allowedIps} errors={errors} help="Une adresse IPv4 ou IPv6, ou une plage CIDR (198.51.100.0/24), par ligne. Laissez vide pour accepter toute adresse (déconseillé)." />
      <button type="submit" class="btn btn-primary">Créer le jeton</button>
    </form>
  );
}

export async function apiTokenPages(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const showManager = async (request: FastifyRequest, reply: FastifyReply, o: { values?: FormValues; errors?: FieldError[]; created?: { name: string; token: string }; status?: number } = {}) => {
    const actor = actorOf(request);
    const tokens = await listTokens(app.ctx, actor, actor.organisation?.id ?? null);
    const errors = o.errors ?? [];
    const notice = o.status ? null : noticeOf(request, { revoque: 'Le jeton est révoqué : il ne permet plus aucun appel.' });
    return sendPage(request, reply, errors.length ? 'Erreur — Jetons d’API' : 'Jetons d’API', (csrf) => (
      <section>
        <h1 class="h3">Jetons d’API de l’organisme</h1>
        <p>Un jeton permet à un logiciel de votre organisme d’appeler l’API de Kairos avec les seuls rôles que vous lui donnez. Documentation : <a href="/aide">centre d’aide</a>.</p>
        {notice ? <p class="alert alert-success" role="status">{notice}</p> : null}
        {o.created ? (
          <div class="alert alert-warning" role="status" id="nouveau-jeton">
            <h2 class="h5">Jeton « {o.created.name} » créé</h2>
            <p>Copiez-le maintenant dans le logiciel qui l’utilisera : il ne sera plus jamais affiché.</p>
            <p><code class="user-select-all">{o.created.token}</code></p>
          </div>
        ) : null}
        <h2 class="h4">Jetons existants</h2>
        <TokenTable tokens={tokens} csrf={csrf} showOrganisation={false} revokeAction={(t) => `/gid/api/${t.id}/revoquer`} />
        <h2 class="h4 mt-4">Nouveau jeton</h2>
        <FormErrors errors={errors} />
        <CreateForm values={o.values ?? EMPTY} errors={errors} csrf={csrf} />
        <p class="mt-3"><a href="/gid">Retour à GID Partenaires</a></p>
      </section>
    ), o.status ?? 200);
  };

  r.get('/gid/api', { config: { access: accountManagerOnly } }, (request, reply) => showManager(request, reply));

  r.post('/gid/api', { config: { access: accountManagerOnly }, attachValidation: true, schema: { body: tokenForm } }, async (request, reply) => {
    if (request.validationError) return showManager(request, reply, { values: sentValues(request), errors: formErrors(request), status: 422 });
    const actor = actorOf(request);
    try {
      const created = await createToken(app.ctx, actor, actor.organisation!.id, request.body, requestMeta(request));
      // The secret is on this answer only (no-store), never in a redirect's address.
      return await showManager(request, reply, { created: { name: request.body.name, token: created.token }, status: 201 });
    } catch (err) {
      if (err instanceof HttpProblem && err.status === 422 && err.errors) return showManager(request, reply, { values: sentValues(request), errors: err.errors, status: 422 });
      throw err;
    }
  });

  r.post('/gid/api/:id/revoquer', { config: { access: accountManagerOnly }, attachValidation: true, schema: { params: idParams(), body: revokeForm } }, async (request, reply) => {
    throwIfParamsRefused(request);
    const actor = actorOf(request);
    await revokeToken(app.ctx, actor, actor.organisation?.id ?? null, request.params.id, requestMeta(request));
    return redirectAfterPost(reply, '/gid/api?fait=revoque');
  });

  r.get('/admin/jetons-api', { config: { access: agencyAdminOnly } }, async (request, reply) => {
    const tokens = await listTokens(app.ctx, actorOf(request), null);
    const notice = noticeOf(request, { revoque: 'Le jeton est révoqué : il ne permet plus aucun appel.' });
    return sendPage(request, reply, 'Jetons d’API des organismes', (csrf) => (
      <section>
        <h1 class="h3">Jetons d’API des organismes</h1>
        {notice ? <p class="alert alert-success" role="status">{notice}</p> : null}
        <TokenTable tokens={tokens} csrf={csrf} showOrganisation revokeAction={(t) => `/admin/jetons-api/${t.id}/revoquer`} />
      </section>
    ));
  });

  r.post('/admin/jetons-api/:id/revoquer', { config: { access: agencyAdminOnly }, attachValidation: true, schema: { params: idParams(), body: revokeForm } }, async (request, reply) => {
    throwIfParamsRefused(request);
    await revokeToken(app.ctx, actorOf(request), null, request.params.id, requestMeta(request));
    return redirectAfterPost(reply, '/admin/jetons-api?fait=revoque');
  });
}
