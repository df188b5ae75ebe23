/**
 * The two decision forms: the candidate accepts or declines (one button each, an optional
 * comment), the advisor approves, refuses or requests changes (a reason required except to
 * approve — the service enforces it and its message is shown under the field). Both carry the
 * version the user read, so a decision on a quote that changed meanwhile is refused (409); the
 * routes read them with the schemas of schemas.ts.
 */
import { HttpProblem, type FieldError } from '../../../http/problem.js';
import { Field } from '../../../http/views/form.js';
import { CsrfField } from '../../../http/views/layout.js';
import type { QuoteView } from '../record/views.js';

/** Where each field error of a decision links to in the summary (see DecisionErrors). */
export const CANDIDATE_FORM_ANCHORS: Record<string, string> = { comment: 'comment', decision: 'decision-accept', statut: 'statut' };
export const ADVISOR_FORM_ANCHORS: Record<string, string> = { reason: 'reason', decision: 'decision-approve', statut: 'statut' };

export function CandidateDecisionForm({ quote, csrf, comment, errors }: { quote: QuoteView; csrf: string; comment: string; errors: FieldError[] }) {
  return (
    <section aria-labelledby="titre-reponse" class="mb-4">
      <h2 id="titre-reponse" class="h4">Votre réponse</h2>
      <p id="reponse-aide">
        Si vous acceptez, votre conseiller examinera le devis puis le validera ou non. Si vous déclinez, ce devis est clos : l’organisme
        devra vous en proposer un autre. Sans réponse 15 jours après son envoi, le devis expire.
      </p>
      <form method="post" action={`/mon-espace/devis/${quote.id}/decision`} id="formulaire-decision" novalidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="version" value={String(quote.version)} />
        <Field
          name="comment"
          label="Commentaire (facultatif)"
          multiline
          maxLength={2000}
          value={comment}
          errors={errors}
          help="Transmis à l’organisme de formation avec votre réponse, par exemple une question sur les frais non financés. 2 000 caractères au maximum."
        />
        <div class="d-flex gap-3 flex-wrap">
          <button type="submit" class="btn btn-primary" id="decision-accept" name="decision" value="accept">Accepter le devis</button>
          <button type="submit" class="btn btn-outline-danger" id="decision-decline" name="decision" value="decline">Décliner le devis</button>
        </div>
      </form>
    </section>
  );
}

export interface AdvisorFormValues {
  decision: string;
  reason: string;
}

const ADVISOR_CHOICES = [
  { value: 'approve', label: 'Valider le devis', help: 'Crée la formation et l’accord de prise en charge, envoyés à l’organisme et au candidat.' },
  { value: 'refuse', label: 'Refuser le devis', help: 'Définitif : le motif est communiqué à l’organisme et au candidat.' },
  { value: 'request_changes', label: 'Demander des modifications', help: 'L’organisme corrige le devis et en soumet une nouvelle version au candidat.' },
] as const;

export function AdvisorDecisionForm({ quote, csrf, values, errors }: { quote: QuoteView; csrf: string; values: AdvisorFormValues; errors: FieldError[] }) {
  const decisionError = errors.find((e) => e.field === 'decision')?.message;
  return (
    <section aria-labelledby="titre-decision" class="mb-4">
      <h2 id="titre-decision" class="h4">Votre décision</h2>
      <form method="post" action={`/conseiller/devis/${quote.id}/decision`} id="formulaire-decision" novalidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="version" value={String(quote.version)} />
        <fieldset class="mb-3" aria-describedby={decisionError ? 'decision-erreur' : undefined}>
          <legend class="form-label fs-6">Décision</legend>
          {ADVISOR_CHOICES.map((c) => (
            <div class="form-check">
              <input
                class={`form-check-input${decisionError ? ' is-invalid' : ''}`}
                type="radio"
                name="decision"
                id={`decision-${c.value}`}
                value={c.value}
                checked={values.decision === c.value}
                aria-describedby={`decision-${c.value}-aide`}
              />
              <label class="form-check-label" for={`decision-${c.value}`}>{c.label}</label>
              <div id={`decision-${c.value}-aide`} class="form-text mt-0">{c.help}</div>
            </div>
          ))}
          {decisionError ? <div id="decision-erreur" class="invalid-feedback d-block">{decisionError}</div> : null}
        </fieldset>
        <Field
          name="reason"
          label="Motif"
          multiline
          maxLength={2000}
          value={values.reason}
          errors={errors}
          help="Obligatoire pour refuser ou demander des modifications ; facultatif pour valider. Communiqué à l’organisme et au candidat."
        />
        <button type="submit" class="btn btn-primary">Enregistrer la décision</button>
      </form>
    </section>
  );
}

/**
 * A refusal the decision form shows in place: 422 (field errors) and 409 (the quote moved on,
 * its detail shown against the status line). Anything else (403, 404) is the error page.
 */
export function decisionProblem(err: unknown): { status: number; errors: FieldError[] } | null {
  if (!(err instanceof HttpProblem)) return null;
  if (err.status === 422) return { status: 422, errors: err.errors?.length ? err.errors : [{ field: 'formulaire-decision', message: err.detail }] };
  if (err.status === 409) return { status: 409, errors: [{ field: 'statut', message: err.detail }] };
  return null;
}

/** A fixed message chosen by the `fait` key of a redirect: nothing typed is echoed back. */
export function noticeOf(key: string, notices: Record<string, string>): string | null {
  return Object.hasOwn(notices, key) ? notices[key]! : null;
}
