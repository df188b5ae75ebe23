/**
 * /kairos/formations/{id}: one training for its organisation and the advisor (facts, months and
 * their statements, report), and for attendance officers the declaration forms. Each form posts
 * to a sub-path, then redirects with a notice (303) or shows the page again with its errors.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { RequestMeta } from '../../../context.js';
import { HttpProblem, type FieldError } from '../../../http/problem.js';
import { actorOf, requestMeta } from '../../../http/request-meta.js';
import { sendPage } from '../../../http/render.js';
import { fieldId } from '../../../http/views/form.js';
import { ErrorSummary } from '../../../http/views/layout.js';
import { hasHabilitation, type Actor } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { Notice, formErrorsOf, formErrorsOrNotFound, frDate, keepTypedFields, noticeOf, statusLabel, typedFields } from '../page-parts.js';
import { attendanceOfficers, trainingReaders } from '../policy.js';
import { CERTIFICATION_LABELS, REPORT_OUTCOME_LABELS, WITHDRAWAL_LABELS, monthLabel, type WithdrawalReason } from '../rules.js';
import { trainingParams } from '../schemas.js';
import { correctAttendance, submitStatement } from '../statements/service.js';
import { CorrectionForm, EntryForm, ExitForm, ReportForm, SubmitMonthForm, WithdrawalForm, type FormName, type FormState } from './detail-forms.js';
import { correctionForm, entryForm, exitForm, reportForm, trainingPageQuery, transmissionForm, withdrawalForm } from './schemas.js';
import { declareEntry, declareExit, declareWithdrawal, getTraining, submitReport } from './service.js';

type Detail = Awaited<ReturnType<typeof getTraining>>;

const NOTICES: Record<string, string> = {
  entree: 'L’entrée en formation est déclarée ; les séances prévues sont générées.',
  transmission: 'L’état de présence est transmis : le mois est verrouillé.',
  correction: 'La correction est enregistrée et tracée.',
  abandon: 'L’abandon est déclaré ; le conseiller est alerté.',
  sortie: 'La sortie est déclarée ; le bilan est attendu dans les 30 jours.',
  bilan: 'Le bilan de formation est déposé.',
};

const FIELDS: Record<FormName, string[]> = {
  entree: ['startDate'],
  transmission: ['month'],
  correction: ['month', 'date', 'period', 'cell', 'reason'],
  abandon: ['date', 'reason', 'comment'],
  sortie: [],
  bilan: ['outcome', 'certification', 'skills', 'difficulties', 'nextSteps', 'employmentOutcome'],
};

function Facts({ t }: { t: Detail }) {
  return (
    <dl class="row">
      <dt class="col-sm-4">Stagiaire</dt><dd class="col-sm-8" id="stagiaire">{t.candidate.firstName} {t.candidate.lastName} ({t.candidate.identifier})</dd>
      <dt class="col-sm-4">Organisme</dt><dd class="col-sm-8">{t.organisation.name}</dd>
      <dt class="col-sm-4">Session Carif-Oref</dt><dd class="col-sm-8">{t.carifOrefSession}</dd>
      <dt class="col-sm-4">Dates convenues</dt><dd class="col-sm-8">du {frDate(t.startDate)} au {frDate(t.endDate)}</dd>
      <dt class="col-sm-4">Statut</dt><dd class="col-sm-8" id="statut">{statusLabel(t.status)}</dd>
      <dt class="col-sm-4">Entrée</dt><dd class="col-sm-8">{t.entryDate ? `le ${frDate(t.entryDate)} — ${t.plannedHalfDays} demi-journées prévues (${String(t.plannedHours).replace('.', ',')} h)` : 'non déclarée'}</dd>
      {t.withdrawal ? (<><dt class="col-sm-4">Abandon</dt><dd class="col-sm-8">le {frDate(t.withdrawal.date)} ({WITHDRAWAL_LABELS[t.withdrawal.reason as WithdrawalReason]}){t.withdrawal.comment ? ` : ${t.withdrawal.comment}` : ''}</dd></>) : null}
      {t.exitDate ? (<><dt class="col-sm-4">Sortie</dt><dd class="col-sm-8">le {frDate(t.exitDate)}</dd></>) : null}
      {t.reportDueDate && !t.report ? (<><dt class="col-sm-4">Bilan attendu</dt><dd class="col-sm-8">au plus tard le {frDate(t.reportDueDate)}{t.reportOverdue ? <strong class="text-danger"> — en retard</strong> : null}</dd></>) : null}
    </dl>
  );
}

function Months({ t, officer }: { t: Detail; officer: boolean }) {
  if (t.months.length === 0) return <p>Les mois de formation apparaîtront après l’entrée.</p>;
  return (
    <table class="table align-middle">
      <caption class="visually-hidden">Mois de formation et états de présence</caption>
      <thead><tr><th scope="col">Mois</th><th scope="col">État de présence</th><th scope="col">Documents et saisie</th></tr></thead>
      <tbody>
        {t.months.map((m) => (
          <tr data-month={m.month}>
            <th scope="row">{monthLabel(m.month)}</th>
            <td>{m.locked ? `transmis le ${frDate(m.submittedAt!.slice(0, 10))}, verrouillé` : 'ouvert'}</td>
            <td>
              {m.locked ? <a href={`/api/v1/trainings/${t.id}/statements/${m.month}.pdf`}>État de présence (PDF)<span class="visually-hidden"> de {monthLabel(m.month)}</span></a> : null}
              {officer && !m.locked ? <a href={`/kairos/assiduite?session=${encodeURIComponent(t.carifOrefSession)}&mois=${m.month}`}>Saisir l’assiduité<span class="visually-hidden"> de {monthLabel(m.month)}</span></a> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Report({ r }: { r: NonNullable<Detail['report']> }) {
  return (
    <dl class="row" id="bilan">
      <dt class="col-sm-4">Résultat</dt><dd class="col-sm-8">{REPORT_OUTCOME_LABELS[r.outcome]}</dd>
      <dt class="col-sm-4">Certification</dt><dd class="col-sm-8">{CERTIFICATION_LABELS[r.certification]}</dd>
      <dt class="col-sm-4">Compétences acquises</dt><dd class="col-sm-8">{r.skills}</dd>
      <dt class="col-sm-4">Difficultés rencontrées</dt><dd class="col-sm-8">{r.difficulties}</dd>
      <dt class="col-sm-4">Suites recommandées</dt><dd class="col-sm-8">{r.nextSteps}</dd>
      <dt class="col-sm-4">Situation d’emploi</dt><dd class="col-sm-8">{r.employmentOutcome ?? 'non connue'}</dd>
    </dl>
  );
}

function Declarations({ t, csrf, state, today }: { t: Detail; csrf: string; state: FormState | null; today: string }) {
  const open = t.months.filter((m) => !m.locked).map((m) => m.month);
  const locked = t.months.filter((m) => m.locked).map((m) => m.month);
  return (
    <section aria-labelledby="titre-declarations">
      <h2 id="titre-declarations" class="h4">Déclarations</h2>
      {t.status === 'planned' ? <EntryForm id={t.id} csrf={csrf} state={state} /> : null}
      {open.length && t.status !== 'planned' ? <SubmitMonthForm id={t.id} csrf={csrf} months={open} /> : null}
      {locked.length ? <CorrectionForm id={t.id} csrf={csrf} state={state} months={locked} /> : null}
      {t.status === 'in_progress' ? <WithdrawalForm id={t.id} csrf={csrf} state={state} /> : null}
      {t.status === 'in_progress' && today >= t.endDate ? <ExitForm id={t.id} csrf={csrf} /> : null}
      {t.status === 'withdrawn' || t.status === 'exited' ? <ReportForm id={t.id} csrf={csrf} state={state} /> : null}
    </section>
  );
}

async function showTraining(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, id: string, state: FormState | null, status = 200) {
  const actor = actorOf(request);
  const t = await getTraining(app.ctx, actor, id, requestMeta(request));
  const officer = hasHabilitation(actor, 'kairos', ['attendance_officer']) && actor.organisation?.kind === 'training_provider';
  const title = `${t.title} — ${t.candidate.lastName}`;
  return sendPage(request, reply, state ? `Erreur — ${title}` : title, (csrf) => (
    <section>
      <p><a href="/kairos/formations">Retour au suivi des formations</a></p>
      <h1 class="h3">{t.title}</h1>
      {state ? <ErrorSummary errors={state.errors} /> : null}
      <Notice text={status === 200 ? noticeOf(request, NOTICES) : null} />
      <Facts t={t} />
      <h2 class="h4">Mois de formation</h2>
      <Months t={t} officer={officer} />
      {t.report ? (<><h2 class="h4">Bilan de formation</h2><Report r={t.report} /></>) : null}
      {officer ? <Declarations t={t} csrf={csrf} state={state} today={parisDay(app.ctx.clock.now())} /> : null}
    </section>
  ), status);
}

/** API field names → the prefixed ids of the page's form (`entry.date` → `correction-date`). */
function pageErrors(form: FormName, errors: FieldError[]): FieldError[] {
  return errors.map((e) => {
    const name = e.field.replace(/^entry\.(status|lateMinutes|reason|justified)$/, 'cell').replace(/^entry\./, '');
    return { ...e, field: FIELDS[form].includes(name) ? `${form}-${fieldId(name)}` : `${form}-${FIELDS[form][0] ?? 'formulaire'}` };
  });
}

type Declare<S extends z.ZodType> = (actor: Actor, id: string, input: z.output<S>, meta: RequestMeta) => Promise<unknown>;

export async function trainingDetailPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/kairos/formations/:id', { config: { access: trainingReaders }, schema: { params: trainingParams, querystring: trainingPageQuery } }, (request, reply) =>
    showTraining(app, request, reply, request.params.id, null),
  );

  /** One declaration form: checked by its schema, then by the service; either refusal shows the page again with what was typed. */
  function declaration<S extends z.ZodType>(form: FormName, body: S, declare: Declare<S>) {
    app.post(
      `/kairos/formations/:id/${form}`,
      { config: { access: attendanceOfficers }, schema: { params: trainingParams, body }, attachValidation: true, preValidation: keepTypedFields(FIELDS[form], 5000) },
      async (request, reply) => {
        const invalid = formErrorsOrNotFound(request);
        const { id } = request.params;
        const showErrors = (errors: FieldError[], status: number) => showTraining(app, request, reply, id, { form, errors: pageErrors(form, errors), values: typedFields(request) }, status);
        if (invalid.length) return showErrors(invalid, 422);
        try {
          await declare(actorOf(request), id, request.body as z.output<S>, requestMeta(request));
        } catch (err) {
          const errors = formErrorsOf(err);
          if (!errors) throw err;
          return showErrors(errors, err instanceof HttpProblem ? err.status : 422);
        }
        return reply.redirect(`/kairos/formations/${id}?fait=${form}`, 303);
      },
    );
  }

  declaration('entree', entryForm, (actor, id, input, meta) => declareEntry(app.ctx, actor, id, input.startDate, meta));
  declaration('transmission', transmissionForm, (actor, id, input, meta) => submitStatement(app.ctx, actor, id, input.month, meta));
  declaration('correction', correctionForm, (actor, id, input, meta) => correctAttendance(app.ctx, actor, id, input.month, input, meta));
  declaration('abandon', withdrawalForm, (actor, id, input, meta) => declareWithdrawal(app.ctx, actor, id, input, meta));
  declaration('sortie', exitForm, (actor, id, _input, meta) => declareExit(app.ctx, actor, id, meta));
  declaration('bilan', reportForm, (actor, id, input, meta) => submitReport(app.ctx, actor, id, input, meta));
}
