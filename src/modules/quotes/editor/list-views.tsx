/** The organisation's quote list page: filters (status, search), the table and its pages. */
import { formatDateTime } from '../../../http/format.js';
import { formatFrenchDate } from '../rules/holidays.js';
import { QUOTE_STATUSES } from '../rules/lifecycle.js';
import type { listQuotes } from './service.js';
import { statusLabel } from '../record/views.js';

export type QuoteListing = Awaited<ReturnType<typeof listQuotes>>;
export interface ListFilters {
  status: string;
  q: string;
  /** Only the drafts that cannot be submitted as they are. */
  errors: boolean;
  page: number;
}

function Filters({ f }: { f: ListFilters }) {
  return (
    <form method="get" action="/devis" class="row g-2 align-items-end mb-3" role="search" aria-label="Filtrer les devis">
      <div class="col-md-4">
        <label class="form-label" for="filtre-statut">Statut</label>
        <select class="form-select" id="filtre-statut" name="status">
          <option value="" selected={f.status === ''}>Tous les statuts</option>
          {QUOTE_STATUSES.map((s) => <option value={s} selected={f.status === s}>{statusLabel(s)}</option>)}
        </select>
      </div>
      <div class="col-md-5">
        <label class="form-label" for="filtre-recherche">Candidat (identifiant ou nom) ou intitulé</label>
        <input class="form-control" id="filtre-recherche" name="q" value={f.q} maxLength={100} />
      </div>
      <div class="col-md-3">
        <div class="form-check">
          <input class="form-check-input" type="checkbox" id="filtre-erreurs" name="erreurs" value="oui" checked={f.errors} />
          <label class="form-check-label" for="filtre-erreurs">Brouillons avec erreurs seulement (qui ne peuvent pas être soumis en l’état)</label>
        </div>
      </div>
      <div class="col-md-12">
        <button type="submit" class="btn btn-outline-primary">Filtrer</button>
      </div>
    </form>
  );
}

function pageHref(f: ListFilters, page: number): string {
  const params = new URLSearchParams();
  if (f.status) params.set('status', f.status);
  if (f.q) params.set('q', f.q);
  if (f.errors) params.set('erreurs', 'oui');
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/devis?${query}` : '/devis';
}

function Pagination({ f, listing }: { f: ListFilters; listing: QuoteListing }) {
  const pages = Math.max(1, Math.ceil(listing.total / listing.pageSize));
  if (pages <= 1) return null;
  return (
    <nav aria-label="Pages de la liste des devis">
      <ul class="pagination">
        {f.page > 1 ? <li class="page-item"><a class="page-link" href={pageHref(f, Math.min(f.page - 1, pages))}>Page précédente</a></li> : null}
        <li class="page-item active" aria-current="page"><span class="page-link">Page {f.page} sur {pages}</span></li>
        {f.page < pages ? <li class="page-item"><a class="page-link" href={pageHref(f, f.page + 1)}>Page suivante</a></li> : null}
      </ul>
    </nav>
  );
}

export function QuoteList({ f, listing }: { f: ListFilters; listing: QuoteListing }) {
  const filtered = f.status !== '' || f.q !== '' || f.errors;
  return (
    <>
      <Filters f={f} />
      <p id="nombre-devis" role="status">
        {listing.total === 0 ? (filtered ? 'Aucun devis ne correspond à ces critères.' : 'Votre organisme n’a encore aucun devis.') : `${listing.total} devis${filtered ? ' correspondant à ces critères' : ''}.`}
      </p>
      {listing.quotes.length > 0 ? (
        <table class="table align-middle">
          <caption class="visually-hidden">Devis de votre organisme, les plus récemment modifiés d’abord</caption>
          <thead>
            <tr>
              <th scope="col">Candidat</th><th scope="col">Formation</th><th scope="col">Type</th><th scope="col">Dates</th><th scope="col">Statut</th><th scope="col">Modifié le</th>
            </tr>
          </thead>
          <tbody>
            {listing.quotes.map((q) => (
              <tr data-quote={q.id}>
                <td>{q.candidate.lastName} ({q.candidate.identifier})</td>
                <th scope="row"><a href={`/devis/${q.id}`}>{q.title}</a></th>
                <td>{q.type}</td>
                <td>{formatFrenchDate(q.startDate)} – {formatFrenchDate(q.endDate)}</td>
                <td>{statusLabel(q.status)}{q.version > 1 ? ` (version ${q.version})` : ''}</td>
                <td>{formatDateTime(new Date(q.updatedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pagination f={f} listing={listing} />
    </>
  );
}
