import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formField } from '../../http/forms.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clearSessionCookie, readSessionToken, setSessionCookie } from '../../http/cookies.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { sendPage } from '../../http/render.js';
import { formText } from '../../http/views/form.js';
import { CsrfField, ErrorSummary } from '../../http/views/layout.js';
import { publicAccess, signedIn } from '../habilitations/policy.js';
import { SIGN_IN_FAILED } from './routes.js';
import { sessionIdFromToken } from './sessions.js';
import { changePassword, signIn, signOut } from './service.js';

type Form = Record<string, unknown>;

/** Only local paths are followed after sign-in: never an open redirect to a look-alike site. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) && value.length < 200 ? value : '/portail';
}

function SignInForm({ csrf, login, next, error, notice }: { csrf: string; login: string; next: string; error: string | null; notice?: string }) {
  return (
    <div class="row justify-content-center">
      <div class="col-md-7 col-lg-5">
        <h1 class="h3 mb-3">Connexion au portail partenaires</h1>
        {notice ? <p class="alert alert-success" role="status">{notice}</p> : null}
        {error ? (
          <div class="alert alert-danger" role="alert" id="erreur-connexion">
            {error}
          </div>
        ) : null}
        <form method="post" action="/connexion" novalidate aria-describedby={error ? 'erreur-connexion' : undefined}>
          <CsrfField token={csrf} />
          <input type="hidden" name="suite" value={next} />
          <div class="mb-3">
            <label class="form-label" for="login">Identifiant</label>
            <input class="form-control" id="login" name="login" autocomplete="username" required value={login} maxLength={100} />
          </div>
          <div class="mb-3">
            <label class="form-label" for="password">Mot de passe</label>
            <input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required />
          </div>
          <div class="mb-3">
            <label class="form-label" for="otp">Code de vérification</label>
            <input class="form-control" id="otp" name="otp" inputMode="numeric" autocomplete="one-time-code" aria-describedby="otp-aide" maxLength={20} />
            <div id="otp-aide" class="form-text">
              Les 6 chiffres affichés par votre application d’authentification, ou l’un de vos codes de secours.
            </div>
          </div>
          <button type="submit" class="btn btn-primary">Se connecter</button>
        </form>
        <p class="mt-4 small">
          Ne communiquez jamais votre mot de passe ni vos codes, même à une personne se présentant comme l’assistance.
        </p>
      </div>
    </div>
  );
}

function PasswordForm({ csrf, errors }: { csrf: string; errors: Array<{ field: string; message: string }> }) {
  const errorOf = (f: string) => errors.find((e) => e.field === f)?.message;
  const field = (id: string, label: string, autocomplete: string, help?: string) => (
    <div class="mb-3">
      <label class="form-label" for={id}>{label}</label>
      <input
        class={`form-control${errorOf(id) ? ' is-invalid' : ''}`}
        id={id}
        name={id}
        type="password"
        autocomplete={autocomplete}
        required
        aria-invalid={errorOf(id) ? 'true' : undefined}
        aria-describedby={[help ? `${id}-aide` : '', errorOf(id) ? `${id}-erreur` : ''].filter(Boolean).join(' ') || undefined}
      />
      {help ? <div id={`${id}-aide`} class="form-text">{help}</div> : null}
      {errorOf(id) ? <div id={`${id}-erreur`} class="invalid-feedback">{errorOf(id)}</div> : null}
    </div>
  );
  return (
    <div class="col-md-8 col-lg-6">
      <h1 class="h3 mb-3">Changer de mot de passe</h1>
      <ErrorSummary errors={errors} />
      <p>Après le changement, toutes vos sessions sont fermées : vous vous reconnecterez avec le nouveau mot de passe.</p>
      <form method="post" action="/compte/mot-de-passe" novalidate>
        <CsrfField token={csrf} />
        {field('currentPassword', 'Mot de passe actuel', 'current-password')}
        {field('newPassword', 'Nouveau mot de passe', 'new-password', 'Au moins 12 caractères (15 pour les responsables de gestion des comptes et les administrateurs). Une phrase de plusieurs mots est plus sûre et plus facile à retenir.')}
        <button type="submit" class="btn btn-primary">Changer le mot de passe</button>
      </form>
    </div>
  );
}

export async function identityPages(app: FastifyInstance): Promise<void> {
  const showSignIn = (request: FastifyRequest, reply: FastifyReply, login: string, next: string, error: string | null, status = 200, notice?: string) =>
    // The title changes too on failure: it is the first thing a screen reader reads of the new page.
    sendPage(request, reply, error ? 'Erreur — Connexion' : 'Connexion', (csrf) => <SignInForm csrf={csrf} login={login} next={next} error={error} notice={notice} />, status);

  app.get('/connexion', { config: { access: publicAccess } }, async (request, reply) => {
    const next = safeNext((request.query as Form)?.suite);
    if (request.actor) return reply.redirect(next, 303);
    const notice = (request.query as Form)?.motdepasse === 'change' ? 'Votre mot de passe a été changé et vos sessions ont été fermées. Connectez-vous avec le nouveau mot de passe.' : undefined;
    return showSignIn(request, reply, '', next, null, 200, notice);
  });

  app.post('/connexion', { config: { access: publicAccess } }, async (request, reply) => {
    const login = formText(request.body, 'login', 100);
    const next = safeNext((request.body as Form)?.suite);
    const token = readSessionToken(request, app.ctx.config);
    const result = await signIn(
      app.ctx,
      { login, password: formText(request.body, 'password', 1024), otp: formText(request.body, 'otp', 64), previousSessionId: token ? sessionIdFromToken(token) : null },
      requestMeta(request),
    );
    if (result.ok) {
      setSessionCookie(reply, app.ctx.config, result.token);
      return reply.redirect(next, 303);
    }
    if (result.reason === 'throttled') {
      reply.header('retry-after', String(result.retryAfterSeconds));
      const wait = result.retryAfterSeconds >= 60 ? `${Math.ceil(result.retryAfterSeconds / 60)} minute(s)` : `${result.retryAfterSeconds} seconde(s)`;
      return showSignIn(request, reply, login, next, `Trop de tentatives. Réessayez dans ${wait}.`, 429);
    }
    return showSignIn(request, reply, login, next, SIGN_IN_FAILED, 401);
  });

  app.post('/deconnexion', { config: { access: signedIn } }, async (request, reply) => {
    await signOut(app.ctx, actorOf(request), requestMeta(request));
    clearSessionCookie(reply, app.ctx.config);
    return reply.redirect('/connexion', 303);
  });

  app.get('/compte/mot-de-passe', { config: { access: signedIn } }, async (request, reply) =>
    sendPage(request, reply, 'Changer de mot de passe', (csrf) => <PasswordForm csrf={csrf} errors={[]} />),
  );

  const passwordForm = z.object({ currentPassword: formField(1024), newPassword: formField(1024) });
  app.withTypeProvider<ZodTypeProvider>().post('/compte/mot-de-passe', { config: { access: signedIn }, schema: { body: passwordForm } }, async (request, reply) => {
    const result = await changePassword(app.ctx, actorOf(request), request.body, requestMeta(request));
    if (!result.ok) {
      const errors = [{ field: result.field, message: result.message }];
      return sendPage(request, reply, 'Changer de mot de passe', (csrf) => <PasswordForm csrf={csrf} errors={errors} />, 422);
    }
    clearSessionCookie(reply, app.ctx.config);
    return reply.redirect('/connexion?motdepasse=change', 303);
  });
}
