/**
 * The advisor's queue page (/conseiller/devis): a GET form of filters that works without
 * JavaScript (status, organisation, start dates, waiting time, warnings, « Mes candidats »), the table of quotes
 * waiting longest first, and its pages. The values are kept as typed so a refused filter is
 * shown with its message next to it (schemas.ts).
 */
import type { FieldError } from '../../../http/problem.js';
import { formatFrenchDate } from '../rules/holidays.js';
import { QUOTE_STATUSES } from '../rules/lifecycle.js';
import { statusLabel } from '../record/views.js';
import type { RawQueueFilters } from './schemas.js';
import type { advisorQueue } from './service.js';

export type QueueListing = Awaited<ReturnType<typeof advisorQueue>>;

interface FieldProps {
  id: keyof RawQueueFilters;
  label: string;
  raw: RawQueueFilters;
  errors: FieldError[];
}

function feedback(p: FieldProps) {
  const error = p.errors.find((e) => e.field === p.id)?.message;
  return {
    error,
    attrs: { id: p.id, name: p.id, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': error ? `${p.id}-erreur` : undefined },
    node: error ? <div id={`${p.id}-erreur`} class="invalid-feedback d-block">{error}</div> : null,
  };
}

function Select(p: FieldProps & { options: Array<{ value: string; label: string }> }) {
  const f = feedback(p);
  const value = p.raw[p.id];
  // A value typed by hand that matches no option is still shown, so the user sees what was refused.
  const options = value && !p.options.some((o) => o.value === value) ? [...p.options, { value, label: value }] : p.options;
  return (
    <div class="col-md-4">
      <label class="form-label" for={p.id}>{p.label}</label>
      <select class={`form-select${f.error ? ' is-invalid' : ''}`} {...f.attrs}>
        {options.map((o) => <option value={o.value} selected={o.value === value}>{o.label}</option>)}
      </select>
      {f.node}
    </div>
  );
}

function Input(p: FieldProps & { type: string; help?: string; inputMode?: 'numeric' }) {
  const f = feedback(p);
  const describedBy = [p.help ? `${p.id}-aide` : '', f.error ? `${p.id}-erreur` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="col-md-4">
      <label class="form-label" for={p.id}>{p.label}</label>
      <input class={`form-control${f.error ? ' is-invalid' : ''}`} type={p.type} value={p.raw[p.id]} inputMode={p.inputMode} {...f.attrs} aria-describedby={describedBy} />
      {p.help ? <div id={`${p.id}-aide`} class="form-text">{p.help}</div> : null}
      {f.node}
    </div>
  );
}

export function QueueFilters({ raw, errors, organisations }: { raw: RawQueueFilters; errors: FieldError[]; organisations: Array<{ id: string; name: string }> }) {
  const common = { raw, errors };
  return (
    <form method="get" action="/conseiller/devis" class="row g-3 align-items-start mb-4" role="search" aria-label="Filtrer les devis" novalidate>
      <Select id="status" label="Statut" {...common} options={QUOTE_STATUSES.filter((s) => s !== 'draft').map((s) => ({ value: s, label: statusLabel(s) }))} />
      <Select id="organisation" label="Organisme de formation" {...common} options={[{ value: '', label: 'Tous les organismes' }, ...organisations.map((o) => ({ value: o.id, label: o.name }))]} />
      <Select
        id="warnings"
        label="Avertissements"
        {...common}
        options={[
          { value: '', label: 'Avec ou sans' },
          { value: 'with', label: 'Avec au moins un avertissement' },
          { value: 'without', label: 'Sans avertissement' },
        ]}
      />
      <Input id="startFrom" label="Début de formation à partir du" type="date" {...common} />
      <Input id="startTo" label="Début de formation jusqu’au" type="date" {...common} />
      <Input id="minWaitingDays" label="En attente depuis au moins (jours)" type="text" inputMode="numeric" help="Nombre de jours depuis l’acceptation par le candidat." {...common} />
      <MineCheckbox {...common} />
      <div class="col-12">
        <button type="submit" class="btn btn-primary">Filtrer</button>{' '}
        <a class="btn btn-link" href="/conseiller/devis">Réinitialiser les filtres</a>
      </div>
    </form>
  );
}

/** « Mes candidats »: only the candidates the advisor registered (the API's mine=true). */
function MineCheckbox({ raw, errors }: { raw: RawQueueFilters; errors: FieldError[] }) {
  const f = feedback({ id: 'mine', label: 'Mes candidats', raw, errors });
  return (
    <div class="col-12">
      <div class="form-check">
        <input class={`form-check-input${f.error ? ' is-invalid' : ''}`} type="checkbox" value="true" checked={raw.mine === 'true'} {...f.attrs} aria-describedby={['mine-aide', f.error ? 'mine-erreur' : ''].filter(Boolean).join(' ')} />
        <label class="form-check-label" for="mine">Mes candidats</label>
        <div id="mine-aide" class="form-text">Seulement les candidats que vous avez inscrits.</div>
        {f.node}
      </div>
    </div>
  );
}

const waitingText = (days: number) => (days === 0 ? 'moins d’un jour' : days === 1 ? '1 jour' : `${days} jours`);

export function QueueTable({ listing }: { listing: QueueListing }) {
  if (listing.quotes.length === 0) return null;
  return (
    <table class="table align-middle">
      <caption class="visually-hidden">Devis à décider, ceux qui attendent depuis le plus longtemps d’abord</caption>
      <thead>
        <tr>
          <th scope="col">Candidat</th><th scope="col">Organisme</th><th scope="col">Formation</th><th scope="col">Début</th><th scope="col">Attente</th><th scope="col">Avertissements</th>
        </tr>
      </thead>
      <tbody>
        {listing.quotes.map((q) => (
          <tr data-quote={q.id}>
            <td>{q.candidate.lastName} {q.candidate.firstName} ({q.candidate.identifier})</td>
            <td>{q.organisation.name}</td>
            <th scope="row"><a href={`/conseiller/devis/${q.id}`}>{q.title}</a> <span class="small">({q.type}{q.version > 1 ? `, version ${q.version}` : ''})</span></th>
            <td>{formatFrenchDate(q.startDate)}</td>
            <td>{waitingText(q.waitingDays)}</td>
            <td>{q.warnings.length === 0 ? 'aucun' : <strong class="text-warning-emphasis">{q.warnings.length}</strong>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function QueuePager({ listing, link }: { listing: QueueListing; link: (page: number) => string }) {
  const pages = Math.max(1, Math.ceil(listing.total / listing.pageSize));
  if (pages <= 1 && listing.page === 1) return null;
  return (
    <nav aria-label="Pages de la file des devis">
      <ul class="pagination">
        {listing.page > 1 ? <li class="page-item"><a class="page-link" href={link(1)}>Première page</a></li> : null}
        {listing.page > 1 ? <li class="page-item"><a class="page-link" href={link(Math.min(listing.page - 1, pages))} rel="prev">Page précédente</a></li> : null}
        <li class="page-item active" aria-current="page"><span class="page-link">Page {listing.page} sur {pages}</span></li>
        {listing.page < pages ? <li class="page-item"><a class="page-link" href={link(listing.page + 1)} rel="next">Page suivante</a></li> : null}
        {listing.page < pages ? <li class="page-item"><a class="page-link" href={link(pages)}>Dernière page</a></li> : null}
      </ul>
    </nav>
  );
}
