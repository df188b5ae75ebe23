import type { ComponentChildren } from 'preact';
import type { FieldError } from '../problem.js';

/** The element id of a field: dotted API names (accountManager.email) become valid anchors. */
export function fieldId(name: string): string {
  return name.replace(/[^\w-]/g, '-');
}

export function errorFor(errors: FieldError[], name: string): string | undefined {
  return errors.find((e) => e.field === name)?.message;
}

/** Summary at the top of a form: each error links to its field (ids as fieldId). */
export function FormErrors({ errors }: { errors: FieldError[] }) {
  if (errors.length === 0) return null;
  const fields = new Set(errors.map((e) => e.field)).size;
  return (
    <div class="alert alert-danger" role="alert" id="resume-erreurs">
      <h2 class="h5">{fields === 1 ? 'Un champ est à corriger' : `${fields} champs sont à corriger`}</h2>
      <ul class="mb-0">
        {errors.map((e) => (
          <li>
            <a class="alert-link" href={`#${fieldId(e.field)}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface FieldProps {
  name: string;
  label: string;
  errors: FieldError[];
  value?: string;
  type?: string;
  help?: ComponentChildren;
  autocomplete?: string;
  required?: boolean;
  maxLength?: number;
  inputMode?: 'numeric' | 'tel' | 'email' | 'text';
  multiline?: boolean;
}

/** A labelled input whose help and error are announced with it (aria-describedby). */
export function Field(p: FieldProps) {
  const id = fieldId(p.name);
  const error = errorFor(p.errors, p.name);
  const describedBy = [p.help ? `${id}-aide` : '', error ? `${id}-erreur` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    class: `form-control${error ? ' is-invalid' : ''}`,
    id,
    name: p.name,
    required: p.required,
    maxLength: p.maxLength,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div class="mb-3">
      <label class="form-label" for={id}>
        {p.label}
        {p.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {p.multiline ? (
        <textarea {...common} rows={3}>{p.value ?? ''}</textarea>
      ) : (
        <input {...common} type={p.type ?? 'text'} value={p.value ?? ''} autocomplete={p.autocomplete} inputMode={p.inputMode} />
      )}
      {p.help ? <div id={`${id}-aide`} class="form-text">{p.help}</div> : null}
      {error ? <div id={`${id}-erreur`} class="invalid-feedback">{error}</div> : null}
    </div>
  );
}

/**
 * At most `max` UTF-16 units, without keeping half of a surrogate pair: cut there, an emoji left
 * a lone surrogate, which is not text (jsonb refuses it: a 500, found by fuzzing).
 */
export function cutText(value: string, max: number): string {
  const cut = value.slice(0, max);
  return cut.length === max && /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** A string field from a parsed urlencoded body (arrays and absent values become ''). */
export function formText(body: unknown, name: string, max = 2000): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? cutText(v, max) : '';
}
