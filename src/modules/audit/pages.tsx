import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDateTime } from '../../http/format.js';
import { formErrors } from '../../http/forms.js';
import type { FieldError } from '../../http/problem.js';
import { actorOf, requestMeta } from '../../http/request-meta.js';
import { sendPage } from '../../http/render.js';
import { cutText } from '../../http/views/form.js';
import { ErrorSummary } from '../../http/views/layout.js';
import { requireHabilitation } from '../habilitations/policy.js';
import { organisationChoices, type AuditLogRow } from './repository.js';
import { auditQuerySchema, type AuditQuery } from './schemas.js';
import { readAuditTrail, type AuditPage } from './trail-service.js';

type Raw = Record<string, string>;
const FILTERS = ['organisation', 'action', 'actor', 'from', 'to'] as const;

/**
 * The journal's filters as typed (each cut at 100 characters), judged by the API's schema on the
 * route. The typed text is kept before validation replaces the query with its parsed values:
 * the form and the page links show what was typed.
 */
const journalQuery = z.preprocess((query) => rawFilters(query), auditQuerySchema);
const typedFilters = new WeakMap<FastifyRequest, Raw>();
async function keepTypedFilters(request: FastifyRequest): Promise<void> {
  typedFilters.set(request, rawFilters(request.query));
}

function rawFilters(query: unknown): Raw {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  return Object.fromEntries([...FILTERS, 'page'].map((k) => [k, typeof q[k] === 'string' ? cutText(q[k] as string, 100) : '']));
}

function Field({ id, label, value, help, errors }: { id: string; label: string; value: string; help?: string; errors: FieldError[] }) {
  const error = errors.find((e) => e.field === id)?.message;
  return (
    <div class="col-md-3">
      <label class="form-label" for={id}>{label}</label>
      <input class={`form-control${error ? ' is-invalid' : ''}`} id={id} name={id} value={value} maxLength={100} aria-describedby={[help ? `${id}-aide` : '', error ? `${id}-erreur` : ''].filter(Boolean).join(' ') || undefined} />
      {help ? <div id={`${id}-aide`} class="form-text">{help}</div> : null}
      {error ? <div id={`${id}-erreur`} class="invalid-feedback">{error}</div> : null}
    </div>
  );
}

function Filters(props: { action: string; raw: Raw; errors: FieldError[]; organisations: Array<{ id: string; name: string }> | null }) {
  const { raw, errors, organisations } = props;
  return (
    <form method="get" action={props.action} class="row g-3 align-items-end mb-4" aria-label="Filtrer le journal">
      {organisations ? (
        <div class="col-md-3">
          <label class="form-label" for="organisation">Organisme</label>
          <select class="form-select" id="organisation" name="organisation">
            <option value="">Tous</option>
            {organisations.map((o) => (
              <option value={o.id} selected={o.id === raw.organisation}>{o.name}</option>
            ))}
          </select>
        </div>
      ) : null}
      <Field id="action" label="Action" value={raw.action} help="Début du nom, par exemple access_review" errors={errors} />
      <Field id="actor" label="Auteur (identifiant)" value={raw.actor} errors={errors} />
      <Field id="from" label="Du (jj/mm/aaaa)" value={raw.from} errors={errors} />
      <Field id="to" label="Au (jj/mm/aaaa)" value={raw.to} errors={errors} />
      <div class="col-md-2">
        <button class="btn btn-primary" type="submit">Filtrer</button>
      </div>
    </form>
  );
}

function EntryRow({ e, showOrganisation }: { e: AuditLogRow; showOrganisation: boolean }) {
  const details = JSON.stringify(e.details ?? {});
  return (
    <tr>
      <td class="text-nowrap">{formatDateTime(e.at)}</td>
      <td>{e.actor_login ?? 'système'}</td>
      {showOrganisation ? <td>{e.organisation_name ?? '—'}</td> : null}
      <td><code>{e.action}</code></td>
      <td class="small">{e.target_type ? `${e.target_type} ${e.target_id ?? ''}` : '—'}</td>
      <td>{e.ip ?? '—'}</td>
      <td class="small text-break">{details.length > 300 ? `${details.slice(0, 300)}…` : details}</td>
    </tr>
  );
}

function Results({ result, raw, path, showOrganisation }: { result: AuditPage; raw: Raw; path: string; showOrganisation: boolean }) {
  const link = (page: number) => `${path}?${new URLSearchParams({ ...Object.fromEntries(FILTERS.map((k) => [k, raw[k]]).filter(([, v]) => v)), page: String(page) })}`;
  if (result.rows.length === 0) return <p>Aucune entrée ne correspond à ces critères.</p>;
  return (
    <>
      <table class="table table-sm align-middle">
        <caption class="visually-hidden">Entrées du journal, les plus récentes d’abord</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Auteur</th>
            {showOrganisation ? <th scope="col">Organisme</th> : null}
            <th scope="col">Action</th>
            <th scope="col">Cible</th>
            <th scope="col">Adresse IP</th>
            <th scope="col">Détails</th>
          </tr>
        </thead>
        <tbody>{result.rows.map((e) => <EntryRow e={e} showOrganisation={showOrganisation} />)}</tbody>
      </table>
      <nav aria-label="Pages du journal" class="d-flex gap-3">
        {result.page > 1 ? <a href={link(result.page - 1)}>Page précédente</a> : null}
        <span>Page {result.page}</span>
        {result.hasMore ? <a href={link(result.page + 1)}>Page suivante</a> : null}
      </nav>
    </>
  );
}

async function showJournal(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, path: string, agency: boolean) {
  const raw = typedFilters.get(request) ?? rawFilters(request.query);
  const errors = formErrors(request);
  const result = errors.length ? null : await readAuditTrail(app.ctx, actorOf(request), request.query as AuditQuery, requestMeta(request));
  const organisations = agency ? await organisationChoices(app.ctx.db) : null;
  const title = agency ? 'Journal d’audit' : 'Journal d’audit de mon organisme';
  return sendPage(request, reply, errors.length ? `Erreur — ${title}` : title, () => (
    <section>
      <h1 class="h3">{title}</h1>
      <p>Dates et heures de Paris, les plus récentes d’abord.</p>
      <ErrorSummary errors={errors} />
      <Filters action={path} raw={raw} errors={errors} organisations={organisations} />
      {result ? <Results result={result} raw={raw} path={path} showOrganisation={agency} /> : null}
    </section>
  ), errors.length ? 422 : 200);
}

export async function auditPages(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const journal = { preValidation: keepTypedFilters, attachValidation: true, schema: { querystring: journalQuery } };
  r.get('/gid/journal', { ...journal, config: { access: requireHabilitation('gid', ['account_manager']) } }, (request, reply) =>
    showJournal(app, request, reply, '/gid/journal', false),
  );
  r.get('/admin/journal', { ...journal, config: { access: requireHabilitation('gid', ['agency_admin']) } }, (request, reply) =>
    showJournal(app, request, reply, '/admin/journal', true),
  );
}
