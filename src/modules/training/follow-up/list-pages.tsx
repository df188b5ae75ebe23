/**
 * /kairos/formations: the trainings of the organisation (attendance officers, readers) or of the
 * advisor's candidates, filtered by status, month and overdue report; for advisors, their alerts
 * first. Filters are a GET form; a wrong value shows the error summary.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { formErrors } from '../../../http/forms.js';
import { formatDateTime } from '../../../http/format.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { ExportLinks } from '../../../http/views/export-links.js';
import { FormErrors, formText } from '../../../http/views/form.js';
import { hasHabilitation } from '../../habilitations/policy.js';
import { listAlerts } from '../alerts/service.js';
import { frDate, statusLabel } from '../page-parts.js';
import { trainingReaders } from '../policy.js';
import { TRAINING_STATUSES, WITHDRAWAL_LABELS, monthLabel, type WithdrawalReason } from '../rules.js';
import { listPageQuery } from './schemas.js';
import { listTrainingsFor } from './service.js';

type Listing = Awaited<ReturnType<typeof listTrainingsFor>>;
type Alerts = Awaited<ReturnType<typeof listAlerts>>['alerts'];
interface Filters {
  status: string;
  month: string;
  overdue: boolean;
  page: number;
}

function alertText(a: Alerts[number]): string {
  const d = a.details as Record<string, unknown>;
  if (a.kind === 'unjustified_absences') return `${d.unjustifiedHalfDays} demi-journées d’absence injustifiée en ${monthLabel(a.month!)} (seuil : ${d.threshold})`;
  if (a.kind === 'withdrawal') return `Abandon le ${frDate(String(d.date))} (${WITHDRAWAL_LABELS[d.reason as WithdrawalReason]})`;
  return `Bilan en retard (attendu au plus tard le ${frDate(String(d.dueDate))})`;
}

function AlertsSection({ alerts }: { alerts: Alerts }) {
  return (
    <section aria-labelledby="titre-alertes" class="mb-4">
      <h2 id="titre-alertes" class="h4">Alertes sur mes candidats</h2>
      {alerts.length === 0 ? (
        <p>Aucune alerte.</p>
      ) : (
        <ul class="list-group">
          {alerts.map((a) => (
            <li class="list-group-item" data-alert={a.kind}>
              <a href={`/kairos/formations/${a.training.id}`}>{a.candidate.firstName} {a.candidate.lastName} ({a.candidate.identifier})</a>
              {' — '}{alertText(a)}. <span class="text-body-secondary small">{a.training.title}, {a.training.organisation}, le {formatDateTime(new Date(a.createdAt))}.</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function FiltersForm({ f }: { f: Filters }) {
  return (
    <form method="get" action="/kairos/formations" class="row g-2 align-items-end mb-3" role="search" aria-label="Filtrer les formations">
      <div class="col-md-3">
        <label class="form-label" for="status">Statut</label>
        <select class="form-select" id="status" name="status">
          <option value="" selected={f.status === ''}>Tous les statuts</option>
          {TRAINING_STATUSES.map((s) => <option value={s} selected={f.status === s}>{statusLabel(s)}</option>)}
        </select>
      </div>
      <div class="col-md-3">
        <label class="form-label" for="month">Mois suivi (aaaa-mm)</label>
        <input class="form-control" id="month" name="month" value={f.month} maxLength={7} placeholder="2026-03" />
      </div>
      <div class="col-md-3 form-check ms-2 mb-2">
        <input class="form-check-input" type="checkbox" id="overdue" name="overdue" value="true" checked={f.overdue} />
        <label class="form-check-label" for="overdue">Bilans en retard seulement</label>
      </div>
      <div class="col-md-2"><button type="submit" class="btn btn-outline-primary">Filtrer</button></div>
    </form>
  );
}

function pageHref(f: Filters, page: number) {
  const p = new URLSearchParams();
  if (f.status) p.set('status', f.status);
  if (f.month) p.set('month', f.month);
  if (f.overdue) p.set('overdue', 'true');
  if (page > 1) p.set('page', String(page));
  return `/kairos/formations${p.size ? `?${p}` : ''}`;
}

function TrainingTable({ listing, f }: { listing: Listing; f: Filters }) {
  const pages = Math.max(1, Math.ceil(listing.total / listing.pageSize));
  return (
    <>
      <p role="status" id="nombre-formations">{listing.total === 0 ? 'Aucune formation ne correspond.' : `${listing.total} formation(s).`}</p>
      {listing.trainings.length ? (
        <table class="table align-middle">
          <caption class="visually-hidden">Formations suivies</caption>
          <thead>
            <tr><th scope="col">Stagiaire</th><th scope="col">Formation</th><th scope="col">Session</th><th scope="col">Dates</th><th scope="col">Statut</th></tr>
          </thead>
          <tbody>
            {listing.trainings.map((t) => (
              <tr data-training={t.id}>
                <td>{t.candidate.firstName} {t.candidate.lastName} ({t.candidate.identifier})</td>
                <th scope="row"><a href={`/kairos/formations/${t.id}`}>{t.title}</a></th>
                <td>{t.carifOrefSession}</td>
                <td>du {frDate(t.startDate)} au {frDate(t.endDate)}</td>
                <td>{statusLabel(t.status)}{t.reportOverdue ? <strong class="d-block text-danger">Bilan en retard</strong> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {pages > 1 ? (
        <nav aria-label="Pages de la liste des formations">
          <ul class="pagination">
            {f.page > 1 ? <li class="page-item"><a class="page-link" href={pageHref(f, f.page - 1)}>Page précédente</a></li> : null}
            <li class="page-item active" aria-current="page"><span class="page-link">Page {f.page} sur {pages}</span></li>
            {f.page < pages ? <li class="page-item"><a class="page-link" href={pageHref(f, f.page + 1)}>Page suivante</a></li> : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}

/** The filters as typed, when the schema refused them (the query is then left as sent). */
function sentFilters(q: unknown): Filters {
  return { status: formText(q, 'status', 40), month: formText(q, 'month', 20), overdue: formText(q, 'overdue', 10) === 'true', page: Math.max(1, Number(formText(q, 'page', 6)) || 1) };
}

export async function trainingListPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/kairos/formations', { config: { access: trainingReaders }, schema: { querystring: listPageQuery }, attachValidation: true }, async (request, reply) => {
    const actor = actorOf(request);
    const errors = formErrors(request);
    const q: z.output<typeof listPageQuery> = request.query;
    const f: Filters = errors.length ? sentFilters(request.query) : { status: q.status ?? '', month: q.month ?? '', overdue: q.overdue, page: q.page };
    const listing: Listing | null = errors.length ? null : await listTrainingsFor(app.ctx, actor, q, requestMeta(request));
    const advisor = hasHabilitation(actor, 'kairos', ['advisor']) && actor.organisation?.kind === 'agency';
    const alerts = advisor ? (await listAlerts(app.ctx, actor, requestMeta(request))).alerts : null;
    const officer = hasHabilitation(actor, 'kairos', ['attendance_officer']) && !advisor;
    return sendPage(request, reply, errors.length ? 'Erreur — Suivi des formations' : 'Suivi des formations', () => (
      <section>
        <h1 class="h3">{advisor ? 'Formations de mes candidats' : 'Suivi des formations'}</h1>
        {officer ? (
          <p>
            <a href="/kairos/assiduite">Saisir l’assiduité d’une session</a> · <a href="/kairos/assiduite/import">Importer un fichier CSV d’assiduité</a> · <a href="/aide/declarer-assiduite">Aide</a>
          </p>
        ) : null}
        {alerts ? <AlertsSection alerts={alerts} /> : null}
        <FormErrors errors={errors} />
        <FiltersForm f={f} />
        {listing ? <TrainingTable listing={listing} f={f} /> : null}
        {listing ? <ExportLinks kind="trainings" label="Formations de la liste, toutes les pages" filters={{ status: q.status, month: q.month, overdue: q.overdue ? 'true' : null }} /> : null}
      </section>
    ), errors.length ? 422 : 200);
  });
}
