/**
 * The two lists at the top of the editor: blocking errors (each link moves the focus to the
 * input it names) and warnings, which do not prevent submission but the advisor will see.
 */
import type { FieldError } from '../../../http/problem.js';
import { inputIdFor } from './form-input.js';

/** Summary of blocking errors at the top; each links to (and so focuses) the input it names. */
export function QuoteErrorSummary({ errors, heading }: { errors: FieldError[]; heading?: string }) {
  if (errors.length === 0) return null;
  return (
    <div class="alert alert-danger" role="alert" id="resume-erreurs" tabIndex={-1}>
      <h2 class="h5">{heading ?? (errors.length === 1 ? 'Un point est à corriger' : `${errors.length} points sont à corriger`)}</h2>
      <ul class="mb-0">
        {errors.map((e) => <li><a class="alert-link" href={`#${inputIdFor(e.field)}`}>{e.message}</a></li>)}
      </ul>
    </div>
  );
}

export function WarningSummary({ warnings }: { warnings: FieldError[] }) {
  if (warnings.length === 0) return null;
  return (
    <div class="alert alert-warning" id="resume-avertissements">
      <h2 class="h5">{warnings.length === 1 ? 'Un avertissement' : `${warnings.length} avertissements`} (ils n’empêchent pas la soumission)</h2>
      <ul class="mb-0">
        {warnings.map((w) => <li><a class="alert-link" href={`#${inputIdFor(w.field)}`}>{w.message}</a></li>)}
      </ul>
    </div>
  );
}
