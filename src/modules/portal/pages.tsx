import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDateTime } from '../../http/format.js';
import { problems } from '../../http/problem.js';
import { emptyIfAbsent } from '../../http/schemas.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { sendPage } from '../../http/render.js';
import { CsrfField } from '../../http/views/layout.js';
import { publicAccess, requireHabilitation, signedIn } from '../habilitations/policy.js';
import { describeUserAgent, endOwnSession, mySessions } from '../identity/index.js';
import { applicationLinks, applicationsFor, type PortalApplication } from './service.js';

type SessionView = Awaited<ReturnType<typeof mySessions>>['active'][number];

function Tiles({ apps }: { apps: PortalApplication[] }) {
  if (apps.length === 0) {
    return (
      <p class="alert alert-info">
        Vous n’avez encore accès à aucune application. Demandez une habilitation au responsable de gestion des comptes
        de votre organisme.
      </p>
    );
  }
  return (
    <ul class="row list-unstyled g-3" aria-label="Applications disponibles">
      {apps.map((a) => (
        <li class="col-md-4" data-application={a.code}>
          <div class="card app-tile h-100">
            <div class="card-body">
              <h3 class="h5 card-title">
                <a href={a.path}>{a.name}</a>
              </h3>
              <p class="card-text">{a.description}</p>
              <p class="card-text small text-body-secondary">Rôle : {a.roles.map((r) => r.label).join(', ')}</p>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}

function Sessions({ sessions, currentId, csrf }: { sessions: SessionView[]; currentId: string; csrf: string }) {
  return (
    <table class="table table-sm align-middle">
      <caption class="visually-hidden">Sessions ouvertes</caption>
      <thead>
        <tr>
          <th scope="col">Ouverte le</th>
          <th scope="col">Navigateur</th>
          <th scope="col">Adresse IP</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => (
          <tr>
            <td>{formatDateTime(s.created_at)}</td>
            <td>{describeUserAgent(s.user_agent)}</td>
            <td>{s.ip ?? '—'}</td>
            <td>
              {s.id === currentId ? (
                <span>Session actuelle</span>
              ) : (
                <form method="post" action={`/portail/sessions/${s.id}/fin`}>
                  <CsrfField token={csrf} />
                  <button class="btn btn-sm btn-outline-danger" type="submit">
                    Terminer<span class="visually-hidden"> la session ouverte le {formatDateTime(s.created_at)}</span>
                  </button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AppHome({ app }: { app: PortalApplication }) {
  const links = applicationLinks(app);
  return (
    <section>
      <h1 class="h3">{app.name}</h1>
      <p>{app.description}</p>
      <p>Vos rôles dans cette application : {app.roles.map((r) => r.label).join(', ')}.</p>
      {links.length ? <ul id="liens-application">{links.map((l) => <li><a href={l.href}>{l.label}</a></li>)}</ul> : null}
      <p><a href="/portail">Retour au portail</a></p>
    </section>
  );
}

const SESSION_NOT_FOUND = 'Cette session est introuvable ou déjà terminée.';
/** A session is named by its 64-hex id; anything else is as unknown as an ended session: 404. */
const sessionParams = z.strictObject({ sessionId: z.string({ error: SESSION_NOT_FOUND }).regex(/^[0-9a-f]{64}$/, SESSION_NOT_FOUND) });
/** The form carries only its `_csrf` (checked before validation, see auth.ts). */
const endSessionForm = emptyIfAbsent(z.object({}));

export async function portalPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/', { config: { access: publicAccess } }, async (request, reply) => {
    if (request.actor) return reply.redirect('/portail', 303);
    // Deliberately no link to the partners' sign-in page (anti-phishing): its address comes by
    // letter.
    return sendPage(request, reply, 'Accueil', () => (
      <section>
        <h1 class="h3">Kairos</h1>
        <p class="lead">
          La plateforme par laquelle les organismes de formation et {app.ctx.config.operatorName} gèrent les formations
          financées des demandeurs d’emploi : devis AIF et POEI, entrées, assiduité, abandons et bilans.
        </p>
        <p>
          Les organismes de formation reçoivent l’adresse du portail et leurs identifiants par courrier. En cas de doute
          sur un message qui vous demande vos codes, ne cliquez sur aucun lien : saisissez vous-même l’adresse officielle
          indiquée en bas de page.
        </p>
        <h2 class="h5 mt-4">Organismes de formation</h2>
        <ul>
          <li>
            Votre organisme souhaite rejoindre Kairos : <a href="/adhesion">déposer une demande d’adhésion</a>.
          </li>
          <li>
            Vous avez reçu votre identifiant et votre code d’activation : <a href="/activation">activer votre compte</a>.
          </li>
        </ul>
      </section>
    ));
  });

  app.get('/portail', { config: { access: signedIn } }, async (request, reply) => {
    const actor = actorOf(request);
    const [apps, sessions] = await Promise.all([applicationsFor(app.ctx, actor), mySessions(app.ctx, actor)]);
    const prev = sessions.previousSignIn;
    return sendPage(request, reply, 'Mes applications', (csrf) => (
      <>
        <h1 class="h3 mb-3">Bonjour {actor.displayName}</h1>
        <section aria-labelledby="titre-applications" class="mb-4">
          <h2 id="titre-applications" class="h4">Mes applications</h2>
          {actor.kind === 'candidate' ? <p id="lien-mon-espace">Un compte de candidat n’ouvre aucune application partenaire : vos devis de formation sont dans <a href="/mon-espace">votre espace personnel</a>.</p> : <Tiles apps={apps} />}
        </section>
        <section aria-labelledby="titre-securite" class="mb-4">
          <h2 id="titre-securite" class="h4">Sécurité de mon compte</h2>
          <p id="derniere-connexion">
            {prev
              ? `Connexion précédente : le ${formatDateTime(prev.created_at)}, depuis l’adresse IP ${prev.ip ?? 'inconnue'}, ${describeUserAgent(prev.user_agent)}.`
              : 'Première connexion à votre compte.'}{' '}
            Si vous ne la reconnaissez pas, changez votre mot de passe et prévenez l’assistance.
          </p>
          <h3 class="h5">Sessions ouvertes</h3>
          <Sessions sessions={sessions.active} currentId={sessions.currentId} csrf={csrf} />
        </section>
      </>
    ));
  });

  app.post('/portail/sessions/:sessionId/fin', { config: { access: signedIn }, schema: { params: sessionParams, body: endSessionForm } }, async (request, reply) => {
    const ended = await endOwnSession(app.ctx, actorOf(request), request.params.sessionId, requestMeta(request));
    if (!ended) throw problems.notFound(SESSION_NOT_FOUND);
    return reply.redirect('/portail', 303);
  });

  // GID has its own pages (habilitations/users/pages.tsx), Kairos its dashboards (dashboard/pages.tsx).
  for (const code of ['support'] as const) {
    const path = '/assistance';
    app.get(path, { config: { access: requireHabilitation(code) } }, async (request, reply) => {
      const appInfo = (await applicationsFor(app.ctx, actorOf(request))).find((a) => a.code === code);
      if (!appInfo) throw problems.forbidden();
      return sendPage(request, reply, appInfo.name, () => <AppHome app={appInfo} />);
    });
  }
}
