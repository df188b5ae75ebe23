/** Pieces shared by the training pages: labels, the figures summary, and how form errors come back. */
import type { FastifyRequest } from 'fastify';
import { formErrors } from '../../http/forms.js';
import { HttpProblem, type FieldError } from '../../http/problem.js';
import { formText } from '../../http/views/form.js';
import { formatFrenchDate } from '../quotes/rules/holidays.js';
import { ABSENCE_LABELS, ABSENCE_REASONS, STATUS_LABELS, type TrainingStatus } from './rules.js';
import type { figuresView } from './views.js';

export const statusLabel = (s: string) => STATUS_LABELS[s as TrainingStatus] ?? s;
export const frDate = (iso: string | null | undefined) => (iso ? formatFrenchDate(iso) : '—');

/** Hours with a French decimal comma: 139.25 → '139,25 h'. */
export const frHours = (h: number) => `${String(h).replace('.', ',')}\u00a0h`;
export const frRate = (r: number | null) => (r === null ? '—' : `${String(r).replace('.', ',')}\u00a0%`);

/** The errors a form shows next to its fields (422), or a conflict shown above it (409); anything else propagates. */
export function formErrorsOf(err: unknown): FieldError[] | null {
  if (!(err instanceof HttpProblem)) return null;
  if (err.status === 422 || err.status === 409) return err.errors?.length ? err.errors : [{ field: 'formulaire', message: err.detail }];
  return null;
}

/**
 * The field errors of a form route registered with `attachValidation`. A refused path id is not
 * a form error: it answers 404 like an unknown training, as on the routes without a form.
 */
export function formErrorsOrNotFound(request: FastifyRequest): FieldError[] {
  if (request.validationError?.validationContext === 'params') throw request.validationError;
  return formErrors(request);
}

const typedByUser = new WeakMap<FastifyRequest, Record<string, string>>();

/**
 * A `preValidation` hook keeping a form's text fields as the user typed them (cut at `max`, as
 * `formText` reads them): the route's schema then replaces the body with typed values, while a
 * form shown again with its errors must show what was typed.
 */
export const keepTypedFields = (names: readonly string[], max: number) => async (request: FastifyRequest) => {
  typedByUser.set(request, Object.fromEntries(names.map((name) => [name, formText(request.body, name, max)])));
};

/** The fields kept by `keepTypedFields` for this request. */
export const typedFields = (request: FastifyRequest): Record<string, string> => typedByUser.get(request) ?? {};

/** A fixed notice chosen by the `fait` key of a redirect: nothing typed is echoed back. */
export function noticeOf(request: FastifyRequest, known: Record<string, string>): string | null {
  const key = formText(request.query, 'fait', 40);
  return Object.hasOwn(known, key) ? known[key] : null;
}

type Figures = ReturnType<typeof figuresView>;

export function FiguresList({ f, id }: { f: Figures; id: string }) {
  const reasons = ABSENCE_REASONS.filter((r) => f.absencesByReason[r] > 0);
  return (
    <dl class="row mb-2" id={id}>
      <dt class="col-sm-5">Heures suivies / prévues</dt>
      <dd class="col-sm-7">{frHours(f.attendedHours)} sur {frHours(f.plannedHours)} ({f.plannedHalfDays} demi-journées)</dd>
      <dt class="col-sm-5">Taux d’assiduité</dt>
      <dd class="col-sm-7">{frRate(f.attendanceRate)}</dd>
      <dt class="col-sm-5">Retards</dt>
      <dd class="col-sm-7">{f.late.count} ({f.late.minutes} minutes)</dd>
      <dt class="col-sm-5">Absences</dt>
      <dd class="col-sm-7">
        {f.absentHalfDays} demi-journée(s), dont {f.unjustifiedHalfDays} non justifiée(s)
        {reasons.length ? ` : ${reasons.map((r) => `${ABSENCE_LABELS[r]} ${f.absencesByReason[r]}`).join(', ')}` : ''}
      </dd>
      {f.undeclared.length ? (
        <>
          <dt class="col-sm-5">Non déclarées</dt>
          <dd class="col-sm-7">{f.undeclared.length} demi-journée(s)</dd>
        </>
      ) : null}
    </dl>
  );
}

export function Notice({ text }: { text: string | null }) {
  return text ? <p class="alert alert-success" role="status">{text}</p> : null;
}
