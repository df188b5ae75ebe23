import type { ComponentChildren } from 'preact';
import type { Actor } from '../../modules/habilitations/policy.js';
import { CSRF_FIELD } from '../csrf.js';
import { formatDateTime } from '../format.js';

const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false });

export interface PageFrame {
  operatorName: string;
  officialAddress: string;
  actor: Actor | null;
  /** Token for the sign-out button and any form of the page. */
  csrfToken: string | null;
  demoMode: boolean;
  /** The date by which the signed-in person must add a passkey (their role requires one); null when none is due. */
  passkeyDeadline?: Date | null;
}

export function CsrfField({ token }: { token: string | null }) {
  return token ? <input type="hidden" name={CSRF_FIELD} value={token} /> : null;
}

function UserMenu({ frame }: { frame: PageFrame }) {
  if (!frame.actor) return null;
  return (
    <div class="d-flex align-items-center gap-3 flex-wrap">
      <span class="text-white">
        <span class="visually-hidden">Connecté en tant que </span>
        {frame.actor.displayName}
        {frame.actor.organisation ? <span class="kairos-header-muted"> — {frame.actor.organisation.name}</span> : null}
      </span>
      <a class="link-light" href="/portail">Mes applications</a>
      <a class="link-light" href="/compte/mot-de-passe">Mot de passe</a>
      <a class="link-light" href="/compte/cles-d-acces">Clés d’accès</a>
      <a class="link-light" href="/compte/incidents">Mes incidents</a>
      <a class="link-light" href="/support/demandes">Assistance</a>
      <form method="post" action="/deconnexion" class="d-inline">
        <CsrfField token={frame.csrfToken} />
        <button type="submit" class="btn btn-sm btn-outline-light">Se déconnecter</button>
      </form>
    </div>
  );
}

function PasskeyReminder({ deadline }: { deadline: Date }) {
  return (
    <div class="alert alert-warning" role="status" id="rappel-cle-acces">
      Votre rôle exige une clé d’accès, qui protège votre compte contre les faux sites. Ajoutez une clé d’accès avant le{' '}
      {formatDateTime(deadline)} : après cette date, vous ne pourrez plus rien faire d’autre dans Kairos.{' '}
      <a class="alert-link" href="/compte/cles-d-acces">Ajouter une clé d’accès</a>
    </div>
  );
}

export function Layout({ frame, title, children }: { frame: PageFrame; title: string; children: ComponentChildren }) {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — Kairos`}</title>
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/bootstrap/css/bootstrap.min.css" />
        <link rel="stylesheet" href="/assets/kairos.css" />
        {/* Strict CSP: htmx must not inject its <style> (indicator rules are in kairos.css) nor eval. */}
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <script src="/assets/htmx/htmx.min.js" defer></script>
      </head>
      <body>
        <a class="visually-hidden-focusable skip-link" href="#contenu">Aller au contenu</a>
        <header class="kairos-header">
          <div class="container py-2 d-flex justify-content-between align-items-center flex-wrap gap-2">
            <a class="kairos-brand" href={frame.actor ? '/portail' : '/'}>
              <strong>Kairos</strong> <span class="kairos-operator">{frame.operatorName}</span>
            </a>
            <div class="d-flex align-items-center gap-3 flex-wrap">
              <a class="link-light" href="/aide">Aide</a>
              <UserMenu frame={frame} />
            </div>
          </div>
        </header>
        <main id="contenu" class="container py-4" tabIndex={-1}>
          {frame.passkeyDeadline ? <PasskeyReminder deadline={frame.passkeyDeadline} /> : null}
          {children}
        </main>
        <footer class="kairos-footer">
          <div class="container py-3 small">
            <p class="mb-1">
              Adresse officielle de Kairos : <strong>{frame.officialAddress}</strong>. Vérifiez-la dans la barre
              d'adresse avant de saisir vos identifiants ; {frame.operatorName} ne vous demandera jamais vos codes par
              courriel ou par téléphone.
            </p>
            <p class="mb-1">
              <a href="/confidentialite">Confidentialité et données personnelles</a>
            </p>
            {frame.demoMode ? <p class="mb-0">Mode démonstration : les données sont fictives.</p> : null}
          </div>
        </footer>
      </body>
    </html>
  );
}

export function ErrorSummary({ errors }: { errors: Array<{ field: string; message: string }> }) {
  if (errors.length === 0) return null;
  return (
    <div class="alert alert-danger" role="alert" tabIndex={-1} id="resume-erreurs">
      <h2 class="h5">
        {errors.length === 1 ? 'Une erreur empêche l’envoi du formulaire' : `${errors.length} erreurs empêchent l’envoi du formulaire`}
      </h2>
      <ul class="mb-0">
        {errors.map((e) => (
          <li>
            <a class="alert-link" href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
