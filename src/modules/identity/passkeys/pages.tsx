/**
 * /compte/cles-d-acces: my passkeys (name, added, last used), adding one (public/passkeys.js
 * drives the browser and the API) and removing one, both after a recent authentication; the
 * identity confirmation form otherwise.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDateTime } from '../../../http/format.js';
import { formField } from '../../../http/forms.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { CsrfField } from '../../../http/views/layout.js';
import { signedIn } from '../../habilitations/policy.js';
import type { PasskeyObligation } from './rules.js';
import { passkeyParams } from './schemas.js';
import { freshlyAuthenticated, myPasskeys, removePasskey, type PasskeyView } from './service.js';
import { ConfirmIdentityForm, PasskeyScript } from './views.js';

const PAGE = '/compte/cles-d-acces';
const pageQuery = z.object({ ajoutee: formField(5), retiree: formField(5) });

function PasskeyTable({ passkeys, csrf, fresh }: { passkeys: PasskeyView[]; csrf: string; fresh: boolean }) {
  if (passkeys.length === 0) return <p id="aucune-cle">Vous n’avez encore aucune clé d’accès.</p>;
  return (
    <table class="table align-middle" id="liste-cles">
      <caption class="visually-hidden">Mes clés d’accès</caption>
      <thead>
        <tr>
          <th scope="col">Nom</th>
          <th scope="col">Ajoutée le</th>
          <th scope="col">Dernière utilisation</th>
          {fresh ? <th scope="col">Action</th> : null}
        </tr>
      </thead>
      <tbody>
        {passkeys.map((p) => (
          <tr>
            <td>{p.name}</td>
            <td>{formatDateTime(p.createdAt)}</td>
            <td>{p.lastUsedAt ? formatDateTime(p.lastUsedAt) : 'Jamais'}</td>
            {fresh ? (
              <td>
                <form method="post" action={`${PAGE}/${p.id}/suppression`}>
                  <CsrfField token={csrf} />
                  <button type="submit" class="btn btn-sm btn-outline-danger" aria-label={`Retirer la clé « ${p.name} »`}>Retirer</button>
                </form>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AddForm() {
  return (
    <section aria-labelledby="titre-ajout" class="mb-4">
      <h2 id="titre-ajout" class="h4">Ajouter une clé d’accès</h2>
      <noscript>
        <p>L’ajout d’une clé d’accès passe par votre navigateur : activez JavaScript pour l’utiliser.</p>
      </noscript>
      <form id="ajout-cle" hidden novalidate>
        <div class="mb-3">
          <label class="form-label" for="nom-cle">Nom de la clé</label>
          <input class="form-control" id="nom-cle" name="name" maxLength={60} required aria-describedby="nom-cle-aide" />
          <div id="nom-cle-aide" class="form-text">Pour la reconnaître dans cette liste, par exemple « Ordinateur du bureau » ou « Téléphone ».</div>
        </div>
        <button type="submit" class="btn btn-primary">Ajouter une clé d’accès</button>
      </form>
      <div id="cle-statut" role="status" aria-live="polite"></div>
    </section>
  );
}

function Obligation({ obligation }: { obligation: PasskeyObligation }) {
  if (obligation.state !== 'enforced') return null;
  return (
    <div class="alert alert-danger" role="alert">
      Votre rôle exige une clé d’accès : ajoutez-en une pour continuer à utiliser Kairos.
    </div>
  );
}

export async function passkeyPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = { access: signedIn };

  app.get(PAGE, { config, schema: { querystring: pageQuery } }, async (request, reply) => {
    const actor = actorOf(request);
    const [{ passkeys, obligation }, fresh] = await Promise.all([myPasskeys(app.ctx, actor), freshlyAuthenticated(app.ctx, actor)]);
    const notice = request.query.ajoutee ? 'La clé d’accès a été ajoutée.' : request.query.retiree ? 'La clé d’accès a été retirée.' : null;
    return sendPage(request, reply, 'Clés d’accès', (csrf) => (
      <div class="col-lg-9">
        <h1 class="h3 mb-3">Clés d’accès</h1>
        {notice ? <p class="alert alert-success" role="status">{notice}</p> : null}
        <Obligation obligation={obligation} />
        <p>
          Une clé d’accès (passkey) remplace votre mot de passe et votre code : votre appareil vous reconnaît (empreinte, visage ou code
          de l’appareil) et ne répond qu’à la véritable adresse de Kairos. Un faux site ne peut donc pas s’en servir.
        </p>
        <PasskeyTable passkeys={passkeys} csrf={csrf} fresh={fresh} />
        {fresh ? <AddForm /> : <ConfirmIdentityForm csrf={csrf} next={PAGE} />}
        <p class="small">Vos codes de secours restent valables si vous perdez vos clés d’accès.</p>
        <PasskeyScript />
      </div>
    ));
  });

  app.post(`${PAGE}/:id/suppression`, { config, schema: { params: passkeyParams, body: z.object({}) } }, async (request, reply) => {
    await removePasskey(app.ctx, actorOf(request), request.params.id, requestMeta(request));
    return reply.redirect(`${PAGE}?retiree=1`, 303);
  });
}
