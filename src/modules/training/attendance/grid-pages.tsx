/**
 * /kairos/assiduite: the monthly grid of a session (trainees in rows, half-days in columns, totals
 * per trainee). One select per half-day, labelled with the trainee, the day and the half-day, so
 * the grid fills from the keyboard (Tab, then a letter: p, r, a). It posts as a plain form; the
 * page comes back with the error summary linking to each refused cell.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formErrors } from '../../../http/forms.js';
import { HttpProblem, type FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { formText } from '../../../http/views/form.js';
import { ExportLinks } from '../../../http/views/export-links.js';
import { CsrfField, ErrorSummary } from '../../../http/views/layout.js';
import { hasHabilitation } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { isoWeekday } from '../../quotes/rules/holidays.js';
import { Notice, frHours, frRate, noticeOf } from '../page-parts.js';
import { attendanceOfficers, organisationReaders } from '../policy.js';
import { PERIOD_LABELS, PERIODS, isMonth, monthLabel, sessionKey, type Period } from '../rules.js';
import { cellId, cellName, cellOptions, dayLabel, encodeCell, postedValues } from './grid-codes.js';
import { attendanceGrid, gridSessions, saveGrid, type Grid } from './grid-service.js';
import { gridForm, gridQuery } from './schemas.js';

const SHORT = ['lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.'];

function Selector({ sessions, session, month }: { sessions: string[]; session: string; month: string }) {
  return (
    <form method="get" action="/kairos/assiduite" class="row g-2 align-items-end mb-3" aria-label="Choisir la session et le mois">
      <div class="col-md-5">
        <label class="form-label" for="session">Session Carif-Oref</label>
        <select class="form-select" id="session" name="session">
          {sessions.length === 0 ? <option value="">Aucune session avec une entrée déclarée</option> : null}
          {sessions.map((s) => <option value={s} selected={s === session}>{s}</option>)}
        </select>
      </div>
      <div class="col-md-3">
        <label class="form-label" for="mois">Mois</label>
        <input class="form-control" type="month" id="mois" name="mois" value={month} />
      </div>
      <div class="col-md-3"><button class="btn btn-outline-primary" type="submit">Afficher la grille</button></div>
    </form>
  );
}

function Cell({ row, date, period, values, editable }: { row: Grid['rows'][number]; date: string; period: Period; values: Record<string, string> | null; editable: boolean }) {
  const s = row.halfDays.get(sessionKey(date, period));
  if (!s) return <td class="text-center text-body-secondary"><span aria-hidden="true">—</span><span class="visually-hidden">pas de séance</span></td>;
  const record = row.records.get(sessionKey(date, period)) ?? null;
  // A closed attendance sheet's proposal fills an undeclared cell, marked, until the officer saves the grid.
  const proposal = record || row.locked ? null : row.proposals.get(sessionKey(date, period)) ?? null;
  const name = cellName(row.trainingId, date, period);
  const proposedValue = proposal?.status === 'present' ? 'present' : proposal?.status === 'late' ? `late:${proposal.lateMinutes}` : '';
  const value = values?.[name] ?? (record ? encodeCell(record) : proposedValue);
  const label = `${row.candidate.firstName} ${row.candidate.lastName}, ${dayLabel(date)}, ${PERIOD_LABELS[period]} (${s.from}–${s.to})`;
  const badgeId = `${cellId(row.trainingId, date, period)}-proposition`;
  return (
    <td>
      <select class="form-select form-select-sm" id={cellId(row.trainingId, date, period)} name={name} aria-label={label} aria-describedby={proposal ? badgeId : undefined} disabled={row.locked || !editable}>
        {cellOptions(record?.lateMinutes ?? proposal?.lateMinutes).map((o) => <option value={o.value} selected={o.value === value}>{o.label}</option>)}
      </select>
      {proposal ? (
        <span class="badge text-bg-info mt-1" id={badgeId}>
          {proposal.status === 'absent' ? 'feuille : non signée, motif à indiquer' : 'proposé par la feuille d’émargement'}
        </span>
      ) : null}
    </td>
  );
}

function GridTable({ grid, session, month, csrf, values, editable }: { grid: Grid; session: string; month: string; csrf: string; values: Record<string, string> | null; editable: boolean }) {
  if (grid.rows.length === 0) return <p role="status">Aucun stagiaire de cette session n’a d’entrée déclarée couvrant {monthLabel(month)}.</p>;
  const locked = grid.rows.filter((r) => r.locked).length;
  return (
    <form method="post" action="/kairos/assiduite" novalidate>
      <CsrfField token={csrf} />
      <input type="hidden" name="session" value={session} />
      <input type="hidden" name="mois" value={month} />
      {locked && editable ? <p class="alert alert-info">Le mois est verrouillé pour {locked} stagiaire(s) (état de présence transmis) : leurs cases ne sont pas modifiables ; passez par une correction depuis la page de la formation.</p> : null}
      <p id="aide-grille" class="small">Dans chaque case : « p » pour présent, « r » pour un retard (choisissez la durée avec les flèches), « a » pour une absence (motif et justification). Une case déjà déclarée ne peut pas être vidée. Les totaux sont recalculés à l’enregistrement.</p>
      <div class="table-responsive" role="region" aria-labelledby="titre-grille" tabIndex={0}>
        <table class="table table-sm table-bordered align-middle" aria-describedby="aide-grille">
          <caption id="titre-grille">Assiduité de la session {session}, {monthLabel(month)}</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>Stagiaire</th>
              {grid.dates.map((d) => <th scope="colgroup" colSpan={2} class="text-nowrap"><abbr title={dayLabel(d)}>{SHORT[isoWeekday(d) - 1]} {Number(d.slice(8))}</abbr></th>)}
              <th scope="col" rowSpan={2}>Heures suivies / prévues</th>
              <th scope="col" rowSpan={2}>Taux</th>
              <th scope="col" rowSpan={2}>Retards</th>
              <th scope="col" rowSpan={2}>Absences (non justifiées)</th>
            </tr>
            <tr>{grid.dates.flatMap((d) => PERIODS.map((p) => <th scope="col" class="small"><abbr title={`${dayLabel(d)}, ${PERIOD_LABELS[p]}`}>{p === 'am' ? 'M' : 'AM'}</abbr></th>))}</tr>
          </thead>
          <tbody>
            {grid.rows.map((row) => (
              <tr data-training={row.trainingId}>
                <th scope="row" class="text-nowrap"><a href={`/kairos/formations/${row.trainingId}`}>{row.candidate.lastName} {row.candidate.firstName}</a> <span class="small">({row.candidate.identifier})</span></th>
                {grid.dates.flatMap((d) => PERIODS.map((p) => <Cell row={row} date={d} period={p} values={values} editable={editable} />))}
                <td class="text-nowrap" data-total="heures">{frHours(row.figures.attendedHours)} / {frHours(row.figures.plannedHours)}</td>
                <td class="text-nowrap" data-total="taux">{frRate(row.figures.attendanceRate)}</td>
                <td data-total="retards">{row.figures.late.count}</td>
                <td data-total="absences">{row.figures.absentHalfDays} ({row.figures.unjustifiedHalfDays})</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editable ? <button class="btn btn-primary" type="submit">Enregistrer la grille</button> : null}
    </form>
  );
}

async function showGrid(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, input: { session: string; month: string }, state: { errors: FieldError[]; values: Record<string, string> } | null, status = 200) {
  const actor = actorOf(request);
  const sessions = await gridSessions(app.ctx, actor);
  const session = input.session || sessions[0] || '';
  const month = isMonth(input.month) ? input.month : parisDay(app.ctx.clock.now()).slice(0, 7);
  const grid = session ? await attendanceGrid(app.ctx, actor, session, month, requestMeta(request)) : null;
  const officer = hasHabilitation(actor, 'kairos', ['attendance_officer']);
  return sendPage(request, reply, state ? 'Erreur — Grille d’assiduité' : 'Grille d’assiduité', (csrf) => (
    <section>
      <p><a href="/kairos/formations">Retour au suivi des formations</a> · <a href="/kairos/assiduite/import">Importer un fichier CSV</a></p>
      <h1 class="h3">Grille d’assiduité</h1>
      {state ? <ErrorSummary errors={state.errors} /> : null}
      <Notice text={status === 200 ? noticeOf(request, { enregistre: 'La grille est enregistrée.' }) : null} />
      <Selector sessions={sessions} session={session} month={month} />
      {input.month && !isMonth(input.month) ? <p class="alert alert-warning" role="alert">Mois invalide : le mois en cours est affiché (format aaaa-mm attendu).</p> : null}
      {grid ? <GridTable grid={grid} session={session} month={month} csrf={csrf} values={state?.values ?? null} editable={officer} /> : null}
      {grid && grid.rows.length ? <ExportLinks kind="attendance" label={`Assiduité de la session ${session}, ${monthLabel(month)}`} filters={{ session, month }} /> : null}
    </section>
  ), status);
}

export async function trainingGridPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/kairos/assiduite', { config: { access: organisationReaders }, schema: { querystring: gridQuery } }, (request, reply) =>
    showGrid(app, request, reply, { session: request.query.session, month: request.query.mois }, null),
  );

  app.post('/kairos/assiduite', { config: { access: attendanceOfficers }, schema: { body: gridForm }, attachValidation: true }, async (request, reply) => {
    const invalid = formErrors(request);
    if (invalid.length) {
      // Refused by the schema: the body is left as sent.
      const sent = (request.body ?? {}) as unknown as Record<string, unknown>;
      return showGrid(app, request, reply, { session: formText(sent, 'session', 100), month: formText(sent, 'mois', 10) }, { errors: invalid, values: postedValues(sent) }, 422);
    }
    const { session, month, cells, values } = request.body;
    try {
      await saveGrid(app.ctx, actorOf(request), session, cells, requestMeta(request));
    } catch (err) {
      if (!(err instanceof HttpProblem) || (err.status !== 422 && err.status !== 409)) throw err;
      return showGrid(app, request, reply, { session, month }, { errors: err.errors ?? [{ field: 'titre-grille', message: err.detail }], values }, err.status);
    }
    return reply.redirect(`/kairos/assiduite?session=${encodeURIComponent(session)}&mois=${isMonth(month) ? month : ''}&fait=enregistre`, 303);
  });
}
