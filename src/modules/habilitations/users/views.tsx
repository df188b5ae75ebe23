/** GID page components (French, server-rendered, usable without JavaScript). */
import { formatDateTime } from '../../../http/format.js';
import { CsrfField } from '../../../http/views/layout.js';
import type { OrganisationRef } from './repository.js';
import type { GidUser, RoleEntry } from './service.js';

export interface FieldError {
  field: string;
  message: string;
}

export const STATUS_LABELS: Record<GidUser['status'], string> = {
  pending: 'En attente d’activation',
  active: 'Actif',
  suspended: 'Suspendu',
};

export function roleName(catalogue: RoleEntry[], application: string, role: string): string {
  const entry = catalogue.find((r) => r.application === application && r.role === role);
  return entry ? `${entry.applicationName} — ${entry.label}` : `${application} — ${role}`;
}

/** A confirmation after a redirect, read out politely by screen readers. */
export function Confirmation({ message }: { message: string | null }) {
  return message ? (
    <div class="alert alert-success" role="status">
      {message}
    </div>
  ) : null;
}

export function TextField(props: { id: string; label: string; value: string; errors: FieldError[]; type?: string; autocomplete?: string; help?: string }) {
  const error = props.errors.find((e) => e.field === props.id)?.message;
  const describedBy = [props.help ? `${props.id}-aide` : '', error ? `${props.id}-erreur` : ''].filter(Boolean).join(' ');
  return (
    <div class="mb-3">
      <label class="form-label" for={props.id}>{props.label}</label>
      <input
        class={`form-control${error ? ' is-invalid' : ''}`}
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        autocomplete={props.autocomplete}
        required
        maxLength={props.type === 'email' ? 254 : 100}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
      {props.help ? <div id={`${props.id}-aide`} class="form-text">{props.help}</div> : null}
      {error ? <div id={`${props.id}-erreur`} class="invalid-feedback">{error}</div> : null}
    </div>
  );
}

export function SearchForm({ q, status, organisationId }: { q: string; status: string; organisationId: string | null }) {
  return (
    <form method="get" action="/gid" class="row g-2 align-items-end mb-3" role="search" aria-label="Rechercher un utilisateur">
      {organisationId ? <input type="hidden" name="organisation" value={organisationId} /> : null}
      <div class="col-md-6">
        <label class="form-label" for="q">Nom, identifiant ou adresse électronique</label>
        <input class="form-control" id="q" name="q" type="search" value={q} maxLength={100} />
      </div>
      <div class="col-md-3">
        <label class="form-label" for="status">Statut</label>
        <select class="form-select" id="status" name="status">
          <option value="" selected={status === ''}>Tous</option>
          {Object.entries(STATUS_LABELS).map(([value, label]) => (
            <option value={value} selected={status === value}>{label}</option>
          ))}
        </select>
      </div>
      <div class="col-md-3">
        <button type="submit" class="btn btn-outline-primary">Rechercher</button>
      </div>
    </form>
  );
}

export function UsersTable({ users, organisation, catalogue }: { users: GidUser[]; organisation: OrganisationRef; catalogue: RoleEntry[] }) {
  if (users.length === 0) return <p id="aucun-utilisateur">Aucun utilisateur ne correspond à cette recherche.</p>;
  return (
    <div class="table-responsive">
      <table class="table table-sm align-middle">
        <caption>
          Utilisateurs de {organisation.name} ({users.length})
        </caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Identifiant</th>
            <th scope="col">Adresse électronique</th>
            <th scope="col">Statut</th>
            <th scope="col">Habilitations</th>
            <th scope="col">Dernière connexion</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr>
              <th scope="row">
                <a href={`/gid/utilisateurs/${u.id}`}>{u.displayName}</a>
              </th>
              <td class="font-monospace">{u.login}</td>
              <td>{u.email ?? '—'}</td>
              <td>{STATUS_LABELS[u.status]}</td>
              <td>{u.habilitations.length ? u.habilitations.map((h) => roleName(catalogue, h.application, h.role)).join(', ') : 'Aucune'}</td>
              <td>{u.lastSignInAt ? formatDateTime(u.lastSignInAt) : 'Jamais'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface NewUserValues {
  lastName: string;
  firstName: string;
  email: string;
}

export function CreateUserForm({ csrf, values, errors }: { csrf: string; values: NewUserValues; errors: FieldError[] }) {
  return (
    <section aria-labelledby="titre-creation" class="mt-4">
      <h2 id="titre-creation" class="h4">Créer un compte</h2>
      <p>
        Le compte est créé inactif, sans habilitation. Deux courriels séparés sont envoyés à la personne : le premier avec
        son identifiant et l’adresse d’activation, le second avec son code d’activation.
      </p>
      <form method="post" action="/gid/utilisateurs" novalidate class="col-md-8 col-lg-6">
        <CsrfField token={csrf} />
        <TextField id="lastName" label="Nom" value={values.lastName} errors={errors} autocomplete="off" />
        <TextField id="firstName" label="Prénom" value={values.firstName} errors={errors} autocomplete="off" />
        <TextField
          id="email"
          label="Adresse électronique professionnelle"
          type="email"
          value={values.email}
          errors={errors}
          autocomplete="off"
          help="Exemple : prenom.nom@organisme.fr"
        />
        <button type="submit" class="btn btn-primary">Créer le compte</button>
      </form>
    </section>
  );
}

export function OrganisationPicker({ organisations, selected }: { organisations: OrganisationRef[]; selected: string | null }) {
  return (
    <form method="get" action="/gid" class="row g-2 align-items-end mb-4">
      <div class="col-md-6">
        <label class="form-label" for="organisation">Organisme</label>
        <select class="form-select" id="organisation" name="organisation">
          {organisations.map((o) => (
            <option value={o.id} selected={o.id === selected}>
              {o.name}
            </option>
          ))}
        </select>
      </div>
      <div class="col-md-3">
        <button type="submit" class="btn btn-outline-primary">Afficher les utilisateurs</button>
      </div>
    </form>
  );
}

const MANAGER_LINKS: Array<[string, string]> = [
  ['/gid/revue', 'Revue des habilitations'],
  ['/gid/politique-securite', 'Politique de sécurité interne'],
  ['/gid/api', 'Jetons d’API'],
  ['/gid/responsable', 'Changer de responsable de gestion des comptes'],
  ['/gid/journal', 'Journal d’audit de l’organisme'],
];
const AGENCY_LINKS: Array<[string, string]> = [
  ['/admin/adhesions', 'Demandes d’adhésion et courriers'],
  ['/admin/politiques-securite', 'Organismes sans politique de sécurité'],
  ['/admin/jetons-api', 'Jetons d’API des organismes'],
  ['/admin/changements-responsable', 'Changements de responsable'],
  ['/admin/journal', 'Journal d’audit'],
];

/** The other GID screens, so each is reachable from the home page without typing an address. */
export function GidNavigation({ manager, demoMode }: { manager: boolean; demoMode: boolean }) {
  const links = manager ? MANAGER_LINKS : [...AGENCY_LINKS, ...(demoMode ? ([['/admin/courriels', 'Courriels émis (démonstration)']] as Array<[string, string]>) : [])];
  return (
    <nav aria-label="Outils de gestion" class="mb-4">
      <ul class="nav nav-pills flex-wrap gap-2">
        {links.map(([href, label]) => (
          <li class="nav-item">
            <a class="nav-link border" href={href}>{label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
