/** The GID page of one user: details, habilitations (grant, revoke) and account status. */
import { formatDateTime } from '../../../http/format.js';
import { CsrfField, ErrorSummary } from '../../../http/views/layout.js';
import type { GidScope, GidUser, RoleEntry } from './service.js';
import { securitySuspensionRefusal } from './rules.js';
import { Confirmation, STATUS_LABELS, type FieldError } from './views.js';

export interface UserPageProps {
  csrf: string;
  scope: GidScope;
  user: GidUser;
  catalogue: RoleEntry[];
  actorId: string;
  confirmation: string | null;
  errors: FieldError[];
}

function Details({ user }: { user: GidUser }) {
  return (
    <dl class="row">
      <dt class="col-sm-4">Identifiant</dt>
      <dd class="col-sm-8 font-monospace" id="identifiant">{user.login}</dd>
      <dt class="col-sm-4">Adresse électronique</dt>
      <dd class="col-sm-8">{user.email ?? '—'}</dd>
      <dt class="col-sm-4">Statut</dt>
      <dd class="col-sm-8" id="statut">{STATUS_LABELS[user.status]}</dd>
      <dt class="col-sm-4">Dernière connexion</dt>
      <dd class="col-sm-8">{user.lastSignInAt ? formatDateTime(user.lastSignInAt) : 'Jamais'}</dd>
      <dt class="col-sm-4">Compte créé le</dt>
      <dd class="col-sm-8">{formatDateTime(user.createdAt)}</dd>
    </dl>
  );
}

function HabilitationsTable({ p }: { p: UserPageProps }) {
  const { user, catalogue } = p;
  if (user.habilitations.length === 0) return <p id="aucune-habilitation">Aucune habilitation : ce compte n’ouvre encore aucune application.</p>;
  const canRevoke = (application: string, role: string) =>
    !p.scope.byAgency && catalogue.some((r) => r.application === application && r.role === role && r.grantable);
  return (
    <table class="table table-sm align-middle" id="habilitations">
      <caption>Habilitations de {user.displayName}</caption>
      <thead>
        <tr>
          <th scope="col">Application</th>
          <th scope="col">Rôle</th>
          <th scope="col">Accordée le</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {user.habilitations.map((h) => {
          const entry = catalogue.find((r) => r.application === h.application && r.role === h.role);
          const label = entry?.label ?? h.role;
          return (
            <tr>
              <td>{entry?.applicationName ?? h.application}</td>
              <th scope="row">{label}</th>
              <td>
                {formatDateTime(h.grantedAt)}
                {h.grantedByName ? ` par ${h.grantedByName}` : ''}
              </td>
              <td>
                {canRevoke(h.application, h.role) ? (
                  <form method="post" action={`/gid/utilisateurs/${user.id}/habilitations/${h.id}/retrait`}>
                    <CsrfField token={p.csrf} />
                    <button type="submit" class="btn btn-sm btn-outline-danger">
                      Retirer<span class="visually-hidden"> l’habilitation {label}</span>
                    </button>
                  </form>
                ) : (
                  <span class="small">Modifiable par l’agence uniquement</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function GrantForm({ p }: { p: UserPageProps }) {
  const held = new Set(p.user.habilitations.map((h) => `${h.application}/${h.role}`));
  const options = p.catalogue.filter((r) => r.grantable && !held.has(`${r.application}/${r.role}`));
  if (options.length === 0) return <p>Cet utilisateur détient déjà tous les rôles que vous pouvez accorder.</p>;
  const error = p.errors.find((e) => e.field === 'habilitation')?.message;
  const groups = [...new Set(options.map((o) => o.applicationName))];
  return (
    <form method="post" action={`/gid/utilisateurs/${p.user.id}/habilitations`} novalidate class="row g-2 align-items-end">
      <CsrfField token={p.csrf} />
      <div class="col-md-7">
        <label class="form-label" for="habilitation">Habilitation à accorder</label>
        <select
          class={`form-select${error ? ' is-invalid' : ''}`}
          id="habilitation"
          name="habilitation"
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'habilitation-erreur' : undefined}
        >
          {groups.map((g) => (
            <optgroup label={g}>
              {options
                .filter((o) => o.applicationName === g)
                .map((o) => (
                  <option value={`${o.application}/${o.role}`}>{o.label}</option>
                ))}
            </optgroup>
          ))}
        </select>
        {error ? <div id="habilitation-erreur" class="invalid-feedback">{error}</div> : null}
      </div>
      <div class="col-md-3">
        <button type="submit" class="btn btn-primary">Accorder</button>
      </div>
    </form>
  );
}

function StatusActions({ p }: { p: UserPageProps }) {
  const { user } = p;
  if (user.id === p.actorId) return <p>Vous ne pouvez ni suspendre ni supprimer votre propre compte.</p>;
  const isManager = user.habilitations.some((h) => h.application === 'gid' && h.role === 'account_manager');
  if (isManager && !p.scope.byAgency) {
    return <p>Seule l’administration de l’agence peut suspendre ou supprimer le compte d’un responsable de gestion des comptes.</p>;
  }
  const error = p.errors.find((e) => e.field === 'confirmation-suppression')?.message;
  const action = (path: string) => `/gid/utilisateurs/${user.id}/${path}`;
  return (
    <>
      {user.status === 'suspended' && user.securitySuspension ? (
        <div class="alert alert-warning mb-3" role="status" id="suspension-securite">
          <p class="mb-1">{securitySuspensionRefusal(user.securitySuspension)}</p>
          <a href="/securite/alertes">Voir les alertes de sécurité</a>
        </div>
      ) : user.status === 'suspended' ? (
        <form method="post" action={action('reactivation')} class="mb-3">
          <CsrfField token={p.csrf} />
          <button type="submit" class="btn btn-outline-primary">Réactiver le compte</button>
        </form>
      ) : (
        <form method="post" action={action('suspension')} class="mb-3">
          <CsrfField token={p.csrf} />
          <p class="mb-2">La suspension ferme immédiatement toutes les sessions de l’utilisateur.</p>
          <button type="submit" class="btn btn-warning">Suspendre le compte</button>
        </form>
      )}
      {p.scope.byAgency ? null : (
        <form method="post" action={action('suppression')} novalidate>
          <CsrfField token={p.csrf} />
          <div class="form-check mb-2">
            <input
              class={`form-check-input${error ? ' is-invalid' : ''}`}
              type="checkbox"
              id="confirmation-suppression"
              name="confirmation"
              value="oui"
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'confirmation-suppression-erreur' : undefined}
            />
            <label class="form-check-label" for="confirmation-suppression">
              Je confirme la suppression définitive de ce compte et de ses habilitations
            </label>
            {error ? <div id="confirmation-suppression-erreur" class="invalid-feedback">{error}</div> : null}
          </div>
          <button type="submit" class="btn btn-outline-danger">Supprimer le compte</button>
        </form>
      )}
    </>
  );
}

export function UserPage(p: UserPageProps) {
  return (
    <>
      <p>
        <a href={p.scope.byAgency ? `/gid?organisation=${p.scope.organisation.id}` : '/gid'}>Retour à la liste des utilisateurs</a>
      </p>
      <h1 class="h3">{p.user.displayName}</h1>
      <p class="text-body-secondary">{p.scope.organisation.name}</p>
      <ErrorSummary errors={p.errors} />
      <Confirmation message={p.confirmation} />
      <Details user={p.user} />
      <section aria-labelledby="titre-habilitations" class="mb-4">
        <h2 id="titre-habilitations" class="h4">Habilitations</h2>
        <HabilitationsTable p={p} />
        {p.scope.byAgency ? null : <GrantForm p={p} />}
      </section>
      <section aria-labelledby="titre-statut" class="mb-4">
        <h2 id="titre-statut" class="h4">Statut du compte</h2>
        <StatusActions p={p} />
      </section>
    </>
  );
}
