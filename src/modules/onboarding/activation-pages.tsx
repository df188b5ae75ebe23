import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FieldError } from '../../http/problem.js';
import { requestMeta } from '../../http/request-meta.js';
import { sendPage } from '../../http/render.js';
import { Field, FormErrors } from '../../http/views/form.js';
import { CsrfField } from '../../http/views/layout.js';
import { publicAccess } from '../habilitations/policy.js';
import { ACTIVATION_REFUSED, confirmActivation, startActivation } from './activation-service.js';
import { activationConfirmForm, activationForm } from './schemas.js';

function StartForm({ csrf, login, errors }: { csrf: string; login: string; errors: FieldError[] }) {
  return (
    <div class="col-lg-7">
      <h1 class="h3">Activer mon compte</h1>
      <p>Munissez-vous des deux courriers reçus : l’un porte votre identifiant, l’autre votre code d’activation.</p>
      <FormErrors errors={errors} />
      <form method="post" action="/activation" novalidate>
        <CsrfField token={csrf} />
        <Field name="login" label="Identifiant" errors={errors} value={login} required maxLength={100} autocomplete="username" />
        <Field name="activationCode" label="Code d’activation" errors={errors} required maxLength={20} autocomplete="off" help="12 caractères, par exemple ABCD-EFGH-JKLM." />
        <Field name="password" label="Mot de passe choisi" type="password" errors={errors} required maxLength={256} autocomplete="new-password" help="Au moins 15 caractères pour un responsable de gestion des comptes, 12 sinon. Une phrase de plusieurs mots est plus sûre et facile à retenir." />
        <button class="btn btn-primary" type="submit">Continuer</button>
      </form>
    </div>
  );
}

function EnrolForm({ csrf, login, qr, secret, error }: { csrf: string; login: string; qr: string; secret: string; error?: string }) {
  return (
    <section class="col-lg-7" aria-labelledby="titre-2fa">
      <h1 id="titre-2fa" class="h3">Double authentification</h1>
      <ol>
        <li>Installez une application d’authentification sur votre téléphone si ce n’est déjà fait.</li>
        <li>Scannez ce code QR, ou saisissez la clé <code>{secret}</code>.</li>
        <li>Saisissez le code à 6 chiffres affiché par l’application.</li>
      </ol>
      <img src={qr} alt="Code QR à scanner avec votre application d’authentification" width={220} height={220} />
      {error ? <div class="alert alert-danger mt-3" role="alert">{error}</div> : null}
      <form method="post" action="/activation/confirmation" class="mt-3">
        <CsrfField token={csrf} />
        <input type="hidden" name="login" value={login} />
        <label class="form-label" for="otp">Code de vérification</label>
        <input class="form-control w-auto" id="otp" name="otp" inputMode="numeric" autocomplete="one-time-code" required maxLength={10} />
        <button class="btn btn-primary mt-2" type="submit">Activer mon compte</button>
      </form>
    </section>
  );
}

function Done({ codes }: { codes: string[] }) {
  return (
    <section aria-labelledby="titre-actif">
      <h1 id="titre-actif" class="h3">Votre compte est activé</h1>
      <p>
        Voici vos 10 codes de secours. Chacun ne sert qu’une fois, si vous n’avez plus votre téléphone. Conservez-les en
        lieu sûr, hors de votre ordinateur : ils ne seront plus jamais affichés.
      </p>
      <ul class="list-unstyled font-monospace fs-5" id="codes-secours">{codes.map((c) => <li>{c}</li>)}</ul>
      <p><a class="btn btn-primary" href="/connexion">Se connecter</a></p>
    </section>
  );
}

export async function activationPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: publicAccess };
  const showStart = (request: FastifyRequest, reply: FastifyReply, login: string, errors: FieldError[], status = 200) =>
    sendPage(request, reply, errors.length ? 'Erreur — Activation' : 'Activer mon compte', (csrf) => <StartForm csrf={csrf} login={login} errors={errors} />, status);

  app.get('/activation', { config }, (request, reply) => showStart(request, reply, '', []));

  app.post('/activation', { config, schema: { body: activationForm } }, async (request, reply) => {
    const { login } = request.body;
    const outcome = await startActivation(app.ctx, request.body, requestMeta(request));
    if (!outcome.ok) {
      if (outcome.reason === 'password') return showStart(request, reply, login, [{ field: 'password', message: outcome.message }], 422);
      if (outcome.reason === 'throttled') {
        reply.header('retry-after', String(outcome.retryAfterSeconds));
        return showStart(request, reply, login, [{ field: 'activationCode', message: `Trop de tentatives. Réessayez dans ${outcome.retryAfterSeconds} seconde(s).` }], 429);
      }
      return showStart(request, reply, login, [{ field: 'activationCode', message: ACTIVATION_REFUSED }], 401);
    }
    // Loaded at the first activation rather than at start (docs/decisions/0039).
    const { default: QRCode } = await import('qrcode');
    const qr = await QRCode.toDataURL(outcome.otpauthUrl, { margin: 1, width: 220 });
    const secret = new URL(outcome.otpauthUrl).searchParams.get('secret') ?? '';
    return sendPage(request, reply, 'Double authentification', (csrf) => <EnrolForm csrf={csrf} login={login} qr={qr} secret={secret} />);
  });

  app.post('/activation/confirmation', { config, schema: { body: activationConfirmForm } }, async (request, reply) => {
    const { login } = request.body;
    const outcome = await confirmActivation(app.ctx, request.body, requestMeta(request));
    if (!outcome.ok) {
      const message =
        outcome.reason === 'throttled'
          ? `Trop de tentatives. Réessayez dans ${outcome.retryAfterSeconds} seconde(s).`
          : 'Code refusé. Recommencez l’activation avec vos deux courriers : un nouveau code QR vous sera présenté.';
      return showStart(request, reply, login, [{ field: 'activationCode', message }], outcome.reason === 'throttled' ? 429 : 401);
    }
    return sendPage(request, reply, 'Compte activé', () => <Done codes={outcome.recoveryCodes} />);
  });
}
