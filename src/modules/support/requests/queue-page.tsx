/**
 * The support agents' queue (/support/file): a GET form of filters (status, category,
 * organisation, age), oldest requests first. Without any filter it shows the open requests.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FieldError } from '../../../http/problem.js';
import { formErrors } from '../../../http/forms.js';
import { sendPage } from '../../../http/render.js';
import { ErrorSummary } from '../../../http/views/layout.js';
import { STATUS_LABELS, SUPPORT_CATEGORIES, SUPPORT_STATUSES } from './rules.js';
import { queueSchema, withoutEmpty, type QueueFilters } from './schemas.js';
import { listQueue } from './service.js';
import { Pager, RequestTable } from './views.js';

const FILTERS = ['status', 'category', 'organisation', 'age'] as const;
type Raw = Record<(typeof FILTERS)[number], string>;

const AGES: Array<{ value: string; label: string }> = [
  { value: '', label: 'Toutes' },
  { value: '1', label: 'Depuis au moins 1 jour' },
  { value: '2', label: 'Depuis au moins 2 jours' },
  { value: '7', label: 'Depuis au moins 7 jours' },
  { value: '30', label: 'Depuis au moins 30 jours' },
];

function Select({ id, label, value, options, errors }: { id: string; label: string; value: string; options: Array<{ value: string; label: string }>; errors: FieldError[] }) {
  const error = errors.find((e) => e.field === id)?.message;
  return (
    <div class="col-md-3">
      <label class="form-label" for={id}>{label}</label>
      <select class={`form-select${error ? ' is-invalid' : ''}`} id={id} name={id} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-erreur` : undefined}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>{o.label}</option>
        ))}
      </select>
      {error ? <div id={`${id}-erreur`} class="invalid-feedback">{error}</div> : null}
    </div>
  );
}

function rawFilters(query: unknown): Raw & { page: string } {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const pick = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).slice(0, 100) : '');
  // First visit (no query at all): the requests waiting for an answer.
  const firstVisit = Object.keys(q).length === 0;
  return { status: firstVisit ? 'open' : pick('status'), category: pick('category'), organisation: pick('organisation'), age: pick('age'), page: pick('page') };
}

/**
 * The page's query: the known filters as typed (others ignored, a first visit meaning the open
 * requests), judged by the API's schema. The route registers it with `attachValidation`.
 */
export const queuePageQuery = z.preprocess((q) => withoutEmpty(rawFilters(q)), queueSchema);

/** The filters as typed, read again from the URL: a valid query was replaced by its typed values. */
function typedFilters(request: FastifyRequest) {
  const params = new URL(request.url, 'http://kairos.invalid').searchParams;
  // A repeated parameter is an array for the schema, which rawFilters reads as « any »: the same here.
  return rawFilters(Object.fromEntries([...new Set(params.keys())].map((k) => [k, params.getAll(k).length === 1 ? params.get(k) : params.getAll(k)])));
}

export async function queuePage(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, organisations: Array<{ id: string; name: string }>) {
  const raw = typedFilters(request);
  const errors = formErrors(request);
  const list = errors.length ? null : await listQueue(app.ctx, request.query as QueueFilters);
  const link = (page: number) => `/support/file?${new URLSearchParams({ ...Object.fromEntries(FILTERS.map((k) => [k, raw[k]])), page: String(page) })}`;
  return sendPage(request, reply, errors.length ? 'Erreur — File de l’assistance' : 'File de l’assistance', () => (
    <section aria-labelledby="titre-file">
      <h1 id="titre-file" class="h3">File de l’assistance</h1>
      <p>Les demandes les plus anciennes d’abord. Dates et heures de Paris.</p>
      <ErrorSummary errors={errors} />
      <form method="get" action="/support/file" class="row g-3 align-items-end mb-4" aria-label="Filtrer les demandes">
        <Select id="status" label="Statut" value={raw.status} errors={errors} options={[{ value: '', label: 'Tous' }, ...SUPPORT_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]} />
        <Select id="category" label="Catégorie" value={raw.category} errors={errors} options={[{ value: '', label: 'Toutes' }, ...SUPPORT_CATEGORIES.map((c) => ({ value: c.code, label: c.label }))]} />
        <Select id="organisation" label="Organisme" value={raw.organisation} errors={errors} options={[{ value: '', label: 'Tous' }, ...organisations.map((o) => ({ value: o.id, label: o.name }))]} />
        <Select id="age" label="Ancienneté" value={raw.age} errors={errors} options={AGES.some((a) => a.value === raw.age) ? AGES : [...AGES, { value: raw.age, label: `Depuis au moins ${raw.age} jours` }]} />
        <div class="col-12">
          <button class="btn btn-primary" type="submit">Filtrer</button>
        </div>
      </form>
      {list && list.requests.length === 0 ? <p>Aucune demande ne correspond à ces critères.</p> : null}
      {list && list.requests.length > 0 ? <RequestTable requests={list.requests} caption="Demandes d’assistance, les plus anciennes d’abord" showRequester /> : null}
      {list ? <Pager page={list.page} hasMore={list.hasMore} link={link} /> : null}
    </section>
  ), errors.length ? 422 : 200);
}
