/**
 * GID pages: the account manager's home (users, search, account creation) and each user's page
 * (habilitations, status). Forms post here, then redirect (303) back with a confirmation, or
 * re-render with the errors next to the fields. Every check is the service's, as for the API.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formErrors, throwIfParamsRefused } from '../../../http/forms.js';
import { HttpProblem } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { ErrorSummary } from '../../../http/views/layout.js';
import { hasHabilitation, type Actor } from '../policy.js';
import { gidAccess } from '../access.js';
import { USER_STATUSES, isUuid, type GidAction, type ListedStatus } from './rules.js';
import { actionForm, deletionForm, grantForm, habilitationPageParams, newUserForm, userPageParams } from './schemas.js';
import * as gid from './service.js';
import { UserPage } from './user-views.js';
import { Confirmation, CreateUserForm, GidNavigation, OrganisationPicker, SearchForm, UsersTable, type FieldError, type NewUserValues } from './views.js';

type Form = Record<string, unknown>;
const text = (source: unknown, name: string, max = 300) => {
  const v = (source as Form | undefined)?.[name];
  return typeof v === 'string' ? v.slice(0, max) : '';
};

/** Fixed messages chosen by a key in the redirect: nothing typed by anyone is echoed back. */
const CONFIRMATIONS: Record<string, string> = {
  'habilitation-accordee': 'L’habilitation a été accordée : elle s’applique dès la prochaine action de l’utilisateur.',
  'habilitation-retiree': 'L’habilitation a été retirée : l’accès correspondant est refusé dès la prochaine action de l’utilisateur.',
  'compte-suspendu': 'Le compte a été suspendu et toutes ses sessions ont été fermées.',
  'compte-reactive': 'Le compte a été réactivé.',
  'compte-supprime': 'Le compte a été supprimé : ses sessions sont fermées et ses habilitations retirées.',
};

function confirmationOf(request: FastifyRequest): string | null {
  return CONFIRMATIONS[text(request.query, 'confirmation', 40)] ?? null;
}

const userIdOf = (request: FastifyRequest) => (request.params as Form).userId;
const isAccountManager = (actor: Actor) => hasHabilitation(actor, 'gid', ['account_manager']) && !!actor.organisation;

/** Problems a form shows next to its fields; anything else (403, 404) is an error page. */
function formProblem(err: unknown): HttpProblem | null {
  return err instanceof HttpProblem && (err.status === 422 || err.status === 409) ? err : null;
}

interface HomeState {
  values: NewUserValues;
  errors: FieldError[];
  status: number;
}

async function showHome(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, state: HomeState) {
  const actor = actorOf(request);
  const query = request.query as Form;
  const manager = isAccountManager(actor);
  // Agency administrators pick an organisation; an account manager only ever sees their own.
  const organisations = manager ? [] : await gid.organisationsForAgency(app.ctx, actor);
  const organisationId = manager ? actor.organisation!.id : isUuid(query.organisation) ? query.organisation : null;
  const q = text(query, 'q', 100).trim();
  const status = (USER_STATUSES as readonly string[]).includes(text(query, 'status')) ? (text(query, 'status') as ListedStatus) : undefined;
  const listing = organisationId ? await gid.listUsers(app.ctx, actor, organisationId, { q: q || undefined, status }) : null;
  const catalogue = await gid.roleCatalogue(app.ctx);
  const title = state.errors.length ? 'Erreur — Gestion des comptes' : 'Gestion des comptes';
  return sendPage(
    request,
    reply,
    title,
    (csrf) => (
      <>
        <h1 class="h3">Gestion des comptes{listing ? ` — ${listing.organisation.name}` : ''}</h1>
        <GidNavigation manager={manager} demoMode={app.ctx.config.demoMode} />
        <ErrorSummary errors={state.errors} />
        <Confirmation message={confirmationOf(request)} />
        {manager ? null : <OrganisationPicker organisations={organisations} selected={organisationId} />}
        {listing ? (
          <section aria-labelledby="titre-utilisateurs">
            <h2 id="titre-utilisateurs" class="h4">Utilisateurs</h2>
            <SearchForm q={q} status={status ?? ''} organisationId={manager ? null : listing.organisation.id} />
            <UsersTable users={listing.users} organisation={listing.organisation} catalogue={catalogue} />
          </section>
        ) : null}
        {manager ? <CreateUserForm csrf={csrf} values={state.values} errors={state.errors} /> : null}
      </>
    ),
    state.status,
  );
}

interface UserState {
  errors: FieldError[];
  status: number;
}

async function showUser(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, state: UserState) {
  const actor = actorOf(request);
  const userId = userIdOf(request);
  const organisationId = await gid.organisationForUserPage(app.ctx, actor, userId);
  const { user, ...scope } = await gid.getUser(app.ctx, actor, organisationId, userId);
  const catalogue = await gid.roleCatalogue(app.ctx);
  const created = text(request.query, 'confirmation', 40);
  const confirmation =
    created === 'compte-cree'
      ? `Compte créé. Identifiant : ${user.login}. Deux courriels séparés ont été envoyés à ${user.email ?? 'la personne'} : le premier avec l’identifiant et l’adresse d’activation, le second avec le code d’activation.`
      : created === 'compte-retenu'
        ? `Compte créé mais en attente : vous avez créé beaucoup de comptes en 24 heures, l’agence doit confirmer celui-ci (identifiant ${user.login}) avant l’envoi des courriels d’activation. C’est une protection contre l’usurpation des comptes de responsable.`
        : confirmationOf(request);
  const title = `${state.errors.length ? 'Erreur — ' : ''}${user.displayName} — Gestion des comptes`;
  return sendPage(
    request,
    reply,
    title,
    (csrf) => <UserPage csrf={csrf} scope={scope} user={user} catalogue={catalogue} actorId={actor.accountId} confirmation={confirmation} errors={state.errors} />,
    state.status,
  );
}

/** A button on the user page: run the change, then back to the page with its confirmation. */
function userAction(
  app: FastifyInstance,
  path: string,
  confirmation: string,
  run: (actor: Actor, organisationId: string, userId: string, request: FastifyRequest) => Promise<unknown>,
) {
  const params = path.includes(':habilitationId') ? habilitationPageParams : userPageParams;
  app.withTypeProvider<ZodTypeProvider>().post(`/gid/utilisateurs/:userId/${path}`, { config: gidAccess, schema: { params, body: actionForm } }, async (request, reply) => {
    const actor = actorOf(request);
    const { userId } = request.params;
    await run(actor, await gid.organisationForUserPage(app.ctx, actor, userId), userId, request);
    return reply.redirect(`/gid/utilisateurs/${userId}?confirmation=${confirmation}`, 303);
  });
}

/**
 * A form refused by its schema is shown again with its errors, once the same checks as the
 * service's have passed: another organisation's user stays a 404 and the agency's limits a 403.
 */
async function checkBeforeErrors(app: FastifyInstance, request: FastifyRequest, action: GidAction, userId?: string): Promise<string> {
  const actor = actorOf(request);
  const organisationId = userId ? await gid.organisationForUserPage(app.ctx, actor, userId) : actor.organisation?.id;
  await gid.checkInScope(app.ctx, actor, organisationId, action, userId);
  return organisationId!;
}

/** The grant form: one select whose values are "application/role". */
function grantFromForm(app: FastifyInstance) {
  const schema = { params: userPageParams, body: grantForm };
  app.withTypeProvider<ZodTypeProvider>().post('/gid/utilisateurs/:userId/habilitations', { config: gidAccess, attachValidation: true, schema }, async (request, reply) => {
    throwIfParamsRefused(request);
    const { userId } = request.params;
    const organisationId = await checkBeforeErrors(app, request, 'grant', userId);
    if (request.validationError) {
      const choice = text(request.body, 'habilitation', 120);
      const message = choice ? (formErrors(request)[0]?.message ?? '') : 'Choisissez dans la liste l’habilitation à accorder.';
      return showUser(app, request, reply, { errors: [{ field: 'habilitation', message }], status: 422 });
    }
    try {
      await gid.grantHabilitation(app.ctx, actorOf(request), organisationId, userId, request.body, requestMeta(request));
    } catch (err) {
      const problem = formProblem(err);
      if (!problem) throw err;
      const message = problem.errors?.[0]?.message ?? problem.detail;
      return showUser(app, request, reply, { errors: [{ field: 'habilitation', message }], status: problem.status });
    }
    return reply.redirect(`/gid/utilisateurs/${userId}?confirmation=habilitation-accordee`, 303);
  });
}

export async function gidPages(app: FastifyInstance): Promise<void> {
  const config = gidAccess;
  const emptyHome: HomeState = { values: { lastName: '', firstName: '', email: '' }, errors: [], status: 200 };

  app.get('/gid', { config }, async (request, reply) => showHome(app, request, reply, emptyHome));

  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post('/gid/utilisateurs', { config, attachValidation: true, schema: { body: newUserForm } }, async (request, reply) => {
    const actor = actorOf(request);
    // What was typed, shown again with the errors (the schema's output is trimmed and normalised).
    const values = { lastName: text(request.body, 'lastName'), firstName: text(request.body, 'firstName'), email: text(request.body, 'email') };
    if (request.validationError) {
      await checkBeforeErrors(app, request, 'create');
      return showHome(app, request, reply, { values, errors: formErrors(request), status: 422 });
    }
    try {
      const created = await gid.createUser(app.ctx, actor, actor.organisation?.id, request.body, requestMeta(request));
      return reply.redirect(`/gid/utilisateurs/${created.id}?confirmation=${created.pendingAgencyConfirmation ? 'compte-retenu' : 'compte-cree'}`, 303);
    } catch (err) {
      const problem = formProblem(err);
      if (!problem) throw err;
      return showHome(app, request, reply, { values, errors: problem.errors ?? [{ field: 'lastName', message: problem.detail }], status: problem.status });
    }
  });

  typed.get('/gid/utilisateurs/:userId', { config, schema: { params: userPageParams } }, async (request, reply) => showUser(app, request, reply, { errors: [], status: 200 }));

  grantFromForm(app);
  userAction(app, 'habilitations/:habilitationId/retrait', 'habilitation-retiree', (actor, organisationId, userId, request) =>
    gid.revokeHabilitation(app.ctx, actor, organisationId, userId, (request.params as { habilitationId: string }).habilitationId, requestMeta(request)),
  );
  userAction(app, 'suspension', 'compte-suspendu', (actor, organisationId, userId, request) =>
    gid.suspendUser(app.ctx, actor, organisationId, userId, undefined, requestMeta(request)),
  );
  userAction(app, 'reactivation', 'compte-reactive', (actor, organisationId, userId, request) =>
    gid.reactivateUser(app.ctx, actor, organisationId, userId, requestMeta(request)),
  );

  typed.post('/gid/utilisateurs/:userId/suppression', { config, schema: { params: userPageParams, body: deletionForm } }, async (request, reply) => {
    const actor = actorOf(request);
    const { userId } = request.params;
    const organisationId = await gid.organisationForUserPage(app.ctx, actor, userId);
    if (request.body.confirmation !== 'oui') {
      const errors = [{ field: 'confirmation-suppression', message: 'Cochez la case de confirmation pour supprimer ce compte.' }];
      return showUser(app, request, reply, { errors, status: 422 });
    }
    await gid.deleteUser(app.ctx, actor, organisationId, userId, requestMeta(request));
    return reply.redirect('/gid?confirmation=compte-supprime', 303);
  });
}
