/** The sign-in page: the form, and what it answers on failure (one message for every failure) or throttling. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readSessionToken, setSessionCookie } from '../../../http/cookies.js';
import { formField } from '../../../http/forms.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { CsrfField } from '../../../http/views/layout.js';
import { publicAccess, signedIn } from '../../habilitations/policy.js';
import { ConfirmIdentityForm, PasskeyScript, PasskeySignInButton } from '../passkeys/views.js';
import { sessionIdFromToken } from '../sessions/session-rules.js';
import { REAUTH_FAILED, SIGN_IN_FAILED, reauthForm, signInForm } from './schemas.js';
import { reauthenticate } from './reauth.js';
import { signIn } from './service.js';

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
        <PasskeySignInButton next={next} />
        <PasskeyScript />
        <p class="mt-4 small">
          Ne communiquez jamais votre mot de passe ni vos codes, même à une personne se présentant comme l’assistance.
        </p>
      </div>
    </div>
  );
}

/** What the sign-in page's address may carry: where to go next, and the notice after a password change. */
const signInQuery = z.object({ suite: formField(200), motdepasse: formField(20) });

export async function signInPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const showSignIn = (request: FastifyRequest, reply: FastifyReply, login: string, next: string, error: string | null, status = 200, notice?: string) =>
    // The title changes too on failure: it is the first thing a screen reader reads of the new page.
    sendPage(request, reply, error ? 'Erreur — Connexion' : 'Connexion', (csrf) => <SignInForm csrf={csrf} login={login} next={next} error={error} notice={notice} />, status);

  app.get('/connexion', { config: { access: publicAccess }, schema: { querystring: signInQuery } }, async (request, reply) => {
    const next = safeNext(request.query.suite);
    if (request.actor) return reply.redirect(next, 303);
    const notice = request.query.motdepasse === 'change' ? 'Votre mot de passe a été changé et vos sessions ont été fermées. Connectez-vous avec le nouveau mot de passe.' : undefined;
    return showSignIn(request, reply, '', next, null, 200, notice);
  });

  app.post('/connexion', { config: { access: publicAccess }, schema: { body: signInForm } }, async (request, reply) => {
    const { login, password, otp } = request.body;
    const next = safeNext(request.body.suite);
    const token = readSessionToken(request, app.ctx.config);
    const result = await signIn(app.ctx, { login, password, otp, previousSessionId: token ? sessionIdFromToken(token) : null }, requestMeta(request));
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

  // Step-up inside a session (passkeys page): on success, back where the form was.
  app.post('/compte/confirmation-identite', { config: { access: signedIn }, schema: { body: reauthForm } }, async (request, reply) => {
    const next = safeNext(request.body.suite);
    const result = await reauthenticate(app.ctx, actorOf(request), request.body, requestMeta(request));
    if (result.ok) return reply.redirect(next, 303);
    if (result.retryAfterSeconds) reply.header('retry-after', String(result.retryAfterSeconds));
    const error = result.retryAfterSeconds ? 'Trop de tentatives. Réessayez dans quelques minutes.' : REAUTH_FAILED;
    return sendPage(request, reply, 'Erreur — Confirmer votre identité', (csrf) => (
      <div class="col-md-8 col-lg-6">
        <ConfirmIdentityForm csrf={csrf} next={next} error={error} />
        <PasskeyScript />
      </div>
    ), result.retryAfterSeconds ? 429 : 401);
  });
}
