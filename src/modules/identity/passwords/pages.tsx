/** Changing one's password from a page; all sessions end, the person signs in again. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { clearSessionCookie } from '../../../http/cookies.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { CsrfField, ErrorSummary } from '../../../http/views/layout.js';
import { signedIn } from '../../habilitations/policy.js';
import { passwordForm } from './schemas.js';
import { changePassword } from './service.js';

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

export async function passwordPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: signedIn };

  app.get('/compte/mot-de-passe', { config }, async (request, reply) =>
    sendPage(request, reply, 'Changer de mot de passe', (csrf) => <PasswordForm csrf={csrf} errors={[]} />),
  );

  app.post('/compte/mot-de-passe', { config, schema: { body: passwordForm } }, async (request, reply) => {
    const result = await changePassword(app.ctx, actorOf(request), request.body, requestMeta(request));
    if (!result.ok) {
      const errors = [{ field: result.field, message: result.message }];
      return sendPage(request, reply, 'Changer de mot de passe', (csrf) => <PasswordForm csrf={csrf} errors={errors} />, 422);
    }
    clearSessionCookie(reply, app.ctx.config);
    return reply.redirect('/connexion?motdepasse=change', 303);
  });
}
