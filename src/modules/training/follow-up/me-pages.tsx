/**
 * The candidate's trainings: /mon-espace/formations lists them and
 * /mon-espace/formations/{id}?mois=aaaa-mm shows one: timeline, the attendance calendar of a
 * month (a table: one row per day, morning and afternoon), the statements as PDF, the report.
 * `trainingSpaceSection` is the block for the /mon-espace home (quotes/candidate-pages.tsx).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ComponentChildren } from 'preact';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import type { Actor } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { isoWeekday } from '../../quotes/rules/holidays.js';
import { getAttendance } from '../attendance/service.js';
import { FiguresList, frDate, statusLabel } from '../page-parts.js';
import { candidates } from '../policy.js';
import { ABSENCE_LABELS, CERTIFICATION_LABELS, PERIODS, REPORT_OUTCOME_LABELS, isMonth, monthLabel, monthsBetween, type AttendanceRecord } from '../rules.js';
import { trainingParams } from '../schemas.js';
import { myTraining, myTrainings } from './me-service.js';
import { myTrainingPageQuery } from './schemas.js';
import { mySignatures } from '../sheets/service.js';
import { formatDateTime } from '../../../http/format.js';

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

function describe(r: Pick<AttendanceRecord, 'status' | 'lateMinutes' | 'reason' | 'justified'> | null): string {
  if (!r) return 'non déclaré';
  if (r.status === 'present') return 'présent';
  if (r.status === 'late') return `en retard (${r.lateMinutes} min)`;
  return `absent — ${ABSENCE_LABELS[r.reason!]} (${r.justified ? 'justifiée' : 'non justifiée'})`;
}

type Mine = Awaited<ReturnType<typeof myTraining>>;

function TrainingsTable({ trainings }: { trainings: Mine[] }) {
  if (trainings.length === 0) return <p>Vous n’avez pas encore de formation financée. Elle apparaîtra ici quand votre conseiller aura accordé le financement.</p>;
  return (
    <table class="table align-middle table-cards">
      <caption class="visually-hidden">Mes formations</caption>
      <thead><tr><th scope="col">Formation</th><th scope="col">Organisme</th><th scope="col">Dates</th><th scope="col">Situation</th></tr></thead>
      <tbody>
        {trainings.map((t) => (
          <tr data-training={t.id}>
            <th scope="row"><a href={`/mon-espace/formations/${t.id}`}>{t.title}</a></th>
            <td data-label="Organisme">{t.organisation.name}</td>
            <td data-label="Dates">du {frDate(t.startDate)} au {frDate(t.endDate)}</td>
            <td data-label="Situation">{statusLabel(t.status)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export async function trainingSpaceSection(app: FastifyInstance, actor: Actor): Promise<ComponentChildren> {
  return <TrainingsTable trainings={(await myTrainings(app.ctx, actor)).trainings} />;
}

type Signatures = Awaited<ReturnType<typeof mySignatures>>;

function Calendar({ month, data, months, id, signatures }: { month: string; data: Awaited<ReturnType<typeof getAttendance>>; months: string[]; id: string; signatures: Signatures }) {
  const byDate = new Map<string, typeof data.halfDays>();
  for (const h of data.halfDays) byDate.set(h.date, [...(byDate.get(h.date) ?? []), h]);
  const i = months.indexOf(month);
  return (
    <section aria-labelledby="titre-calendrier">
      <h2 class="h4" id="titre-calendrier">Mon assiduité de {monthLabel(month)}</h2>
      <nav aria-label="Changer de mois" class="mb-2 d-flex gap-3">
        {i > 0 ? <a href={`/mon-espace/formations/${id}?mois=${months[i - 1]}`}>Mois précédent ({monthLabel(months[i - 1])})</a> : null}
        {i >= 0 && i < months.length - 1 ? <a href={`/mon-espace/formations/${id}?mois=${months[i + 1]}`}>Mois suivant ({monthLabel(months[i + 1])})</a> : null}
      </nav>
      {data.halfDays.length === 0 ? (
        <p>Aucune séance prévue ce mois-ci.</p>
      ) : (
        <table class="table table-sm">
          <caption>Présences, retards et absences de {monthLabel(month)}{data.locked ? ' (mois transmis par l’organisme)' : ''}</caption>
          <thead><tr><th scope="col">Jour</th><th scope="col">Matin</th><th scope="col">Après-midi</th></tr></thead>
          <tbody>
            {[...byDate.entries()].map(([date, halves]) => (
              <tr>
                <th scope="row">{WEEKDAYS[isoWeekday(date) - 1]} {frDate(date)}</th>
                {PERIODS.map((p) => {
                  const h = halves.find((x) => x.period === p);
                  const signed = signatures.find((x) => x.date === date && x.period === p);
                  return (
                    <td>
                      {h ? describe(h.attendance) : 'pas de séance'}
                      {signed ? (
                        <>
                          <br />
                          <small>émargé à {formatDateTime(signed.signedAt).split(' à ')[1]} — <a href={`/api/v1/attendance-sheets/${signed.sheetId}.pdf`}>feuille (PDF)</a></small>
                        </>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FiguresList f={data.figures} id="synthese-mois" />
      {data.corrections.length ? (
        <>
          <h3 class="h5">Corrections après transmission</h3>
          <ul>{data.corrections.map((c) => <li>{frDate(c.date)} ({c.period === 'am' ? 'matin' : 'après-midi'}) : {c.reason}</li>)}</ul>
        </>
      ) : null}
    </section>
  );
}

export async function trainingSpacePages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/mon-espace/formations', { config: { access: candidates } }, async (request, reply) => {
    const { trainings } = await myTrainings(app.ctx, actorOf(request));
    return sendPage(request, reply, 'Mes formations', () => (
      <section>
        <p><a href="/mon-espace">Retour à mon espace</a></p>
        <h1 class="h3">Mes formations</h1>
        <TrainingsTable trainings={trainings} />
      </section>
    ));
  });

  app.get('/mon-espace/formations/:id', { config: { access: candidates }, schema: { params: trainingParams, querystring: myTrainingPageQuery } }, async (request, reply) => {
    const actor = actorOf(request);
    const { id } = request.params;
    const t = await myTraining(app.ctx, actor, id);
    const months = t.entryDate ? monthsBetween(t.entryDate, t.withdrawal?.date ?? t.exitDate ?? t.endDate) : [];
    const asked = request.query.mois;
    const current = parisDay(app.ctx.clock.now()).slice(0, 7);
    const month = isMonth(asked) && months.includes(asked) ? asked : months.includes(current) ? current : months[months.length - 1];
    const data = month ? await getAttendance(app.ctx, actor, id, month, requestMeta(request)) : null;
    const signatures = month ? await mySignatures(app.ctx, actor, id, month) : [];
    return sendPage(request, reply, t.title, () => (
      <section>
        <p><a href="/mon-espace/formations">Retour à mes formations</a></p>
        <h1 class="h3">{t.title}</h1>
        <p>{t.organisation.name} — du {frDate(t.startDate)} au {frDate(t.endDate)} — {statusLabel(t.status)}</p>
        <h2 class="h4">Chronologie</h2>
        <ol id="chronologie">{t.timeline.map((e) => <li>{frDate(e.date)} : {e.label}</li>)}</ol>
        {data && month ? <Calendar month={month} data={data} months={months} id={id} signatures={signatures} /> : <p>Votre calendrier d’assiduité apparaîtra après votre entrée en formation.</p>}
        <h2 class="h4">Mes documents</h2>
        {t.statements.length === 0 ? <p>Aucun état de présence transmis pour le moment.</p> : (
          <ul>{t.statements.map((s) => <li><a href={`/api/v1/me/trainings/${id}/statements/${s.month}.pdf`}>État de présence de {monthLabel(s.month)} (PDF)</a></li>)}</ul>
        )}
        {t.report ? (
          <>
            <h2 class="h4">Mon bilan de formation</h2>
            <dl class="row">
              <dt class="col-sm-4">Résultat</dt><dd class="col-sm-8">{REPORT_OUTCOME_LABELS[t.report.outcome]}</dd>
              <dt class="col-sm-4">Certification</dt><dd class="col-sm-8">{CERTIFICATION_LABELS[t.report.certification]}</dd>
              <dt class="col-sm-4">Compétences acquises</dt><dd class="col-sm-8">{t.report.skills}</dd>
              <dt class="col-sm-4">Difficultés rencontrées</dt><dd class="col-sm-8">{t.report.difficulties}</dd>
              <dt class="col-sm-4">Suites recommandées</dt><dd class="col-sm-8">{t.report.nextSteps}</dd>
            </dl>
          </>
        ) : null}
      </section>
    ));
  });
}
