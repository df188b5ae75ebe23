/** The candidate's pages to add a second factor: start, scan and confirm, then the recovery codes shown once. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { CsrfField } from '../../../http/views/layout.js';
import { candidateOnly } from '../../habilitations/policy.js';
import { CODE_REFUSED, actionForm, confirmForm } from './schemas.js';
import { confirmTotpEnrolment, ensureNotEnrolled, hasSecondFactor, startTotpEnrolment } from './service.js';

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <section aria-labelledby="titre-codes">
      <h1 id="titre-codes" class="h3">Double authentification activée</h1>
      <p>
        Voici vos 10 codes de secours. Chacun ne sert qu’une fois, si vous n’avez plus accès à votre téléphone.
        Conservez-les en lieu sûr : ils ne seront plus jamais affichés.
      </p>
      <ul class="list-unstyled font-monospace fs-5" id="codes-secours">
        {codes.map((c) => (
          <li>{c}</li>
        ))}
      </ul>
      <p><a href="/portail">Continuer</a></p>
    </section>
  );
}

async function Enrolment({ otpauthUrl, csrf, error }: { otpauthUrl: string; csrf: string; error?: string }) {
  // Loaded at the first enrolment rather than at start (docs/decisions/0039).
  const { default: QRCode } = await import('qrcode');
  const qr = await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 220 });
  const secret = new URL(otpauthUrl).searchParams.get('secret') ?? '';
  return (
    <section aria-labelledby="titre-2fa">
      <h1 id="titre-2fa" class="h3">Activer la double authentification</h1>
      <ol>
        <li>Ouvrez votre application d’authentification et scannez ce code QR.</li>
        <li>Ou saisissez la clé : <code class="fs-6">{secret}</code></li>
        <li>Saisissez ci-dessous le code à 6 chiffres qu’elle affiche.</li>
      </ol>
      <img src={qr} alt="Code QR à scanner avec votre application d’authentification" width={220} height={220} />
      {error ? <div class="alert alert-danger mt-3" role="alert">{error}</div> : null}
      <form method="post" action="/compte/double-authentification/confirmation" class="mt-3">
        <CsrfField token={csrf} />
        <label class="form-label" for="otp">Code de vérification</label>
        <input class="form-control w-auto" id="otp" name="otp" inputMode="numeric" autocomplete="one-time-code" required maxLength={10} />
        <button class="btn btn-primary mt-2" type="submit">Confirmer</button>
      </form>
    </section>
  );
}

export async function secondFactorPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: candidateOnly };

  app.get('/compte/double-authentification', { config }, async (request, reply) => {
    const enrolled = await hasSecondFactor(app.ctx, actorOf(request).accountId);
    return sendPage(request, reply, 'Double authentification', (csrf) => (
      <section>
        <h1 class="h3">Double authentification</h1>
        {enrolled ? (
          <p>La double authentification est activée sur votre compte.</p>
        ) : (
          <form method="post" action="/compte/double-authentification">
            <CsrfField token={csrf} />
            <p>Protégez votre espace : à chaque connexion, un code affiché par votre téléphone vous sera demandé.</p>
            <button class="btn btn-primary" type="submit">Activer</button>
          </form>
        )}
      </section>
    ));
  });

  app.post('/compte/double-authentification', { config, schema: { body: actionForm } }, async (request, reply) => {
    const actor = actorOf(request);
    await ensureNotEnrolled(app.ctx, actor.accountId);
    const url = await startTotpEnrolment(app.ctx, app.ctx.db, { id: actor.accountId, login: actor.login });
    const csrf = request.sessionCsrf!;
    const body = await Enrolment({ otpauthUrl: url, csrf });
    return sendPage(request, reply, 'Activer la double authentification', () => body);
  });

  app.post('/compte/double-authentification/confirmation', { config, schema: { body: confirmForm } }, async (request, reply) => {
    const actor = actorOf(request);
    await ensureNotEnrolled(app.ctx, actor.accountId);
    const result = await confirmTotpEnrolment(app.ctx, { id: actor.accountId, login: actor.login, organisationId: null }, request.body.otp, requestMeta(request));
    if (!result.ok) {
      return sendPage(request, reply, 'Double authentification', () => (
        <section>
          <p class="alert alert-danger" role="alert">{CODE_REFUSED}</p>
          <form method="post" action="/compte/double-authentification">
            <CsrfField token={request.sessionCsrf} />
            <button class="btn btn-primary" type="submit">Recommencer</button>
          </form>
        </section>
      ), 422);
    }
    return sendPage(request, reply, 'Double authentification activée', () => <RecoveryCodes codes={result.recoveryCodes} />);
  });
}
