/**
 * Views of support requests: the new-request form, lists, the request with its conversation.
 * Plain forms (POST + redirect), usable without JavaScript; errors name their field.
 */
import type { ComponentChildren } from 'preact';
import { formatDateTime } from '../../../http/format.js';
import type { FieldError } from '../../../http/problem.js';
import { CsrfField } from '../../../http/views/layout.js';
import { Field, errorFor } from '../../../http/views/form.js';
import { ACCEPTED_TYPES, MAX_SCREENSHOTS, SCREENSHOTS_FIELD, frenchSize } from './files.js';
import { STATUS_LABELS, SUPPORT_CATEGORIES, categoryLabel } from './rules.js';
import type { SupportRequestListItem, SupportRequestView } from './service.js';

export type FormValues = Record<'category' | 'subject' | 'description' | 'steps' | 'errorReference', string>;

const STATUS_STYLES: Record<string, string> = { open: 'text-bg-primary', answered: 'text-bg-success', closed: 'text-bg-secondary' };

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge ${STATUS_STYLES[status] ?? 'text-bg-light'}`}>{STATUS_LABELS[status as keyof typeof STATUS_LABELS] ?? status}</span>;
}

/** Line breaks of what people typed, without inline styles (the CSP forbids them). */
export function MultilineText({ text }: { text: string }) {
  const lines = text.split(/\r?\n/);
  return <p class="text-break">{lines.map((line, i) => (i === 0 ? line : [<br />, line]))}</p>;
}

function CategorySelect({ value, errors }: { value: string; errors: FieldError[] }) {
  const error = errorFor(errors, 'category');
  return (
    <div class="mb-3">
      <label class="form-label" for="category">Catégorie<span aria-hidden="true"> *</span></label>
      <select class={`form-select${error ? ' is-invalid' : ''}`} id="category" name="category" required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'category-erreur' : undefined}>
        <option value="">Choisissez une catégorie</option>
        {SUPPORT_CATEGORIES.map((c) => (
          <option value={c.code} selected={c.code === value}>{c.label}</option>
        ))}
      </select>
      {error ? <div id="category-erreur" class="invalid-feedback">{error}</div> : null}
    </div>
  );
}

function ScreenshotsInput({ errors, retry }: { errors: FieldError[]; retry: boolean }) {
  const messages = errors.filter((e) => e.field === SCREENSHOTS_FIELD).map((e) => e.message);
  const described = ['screenshots-aide', messages.length ? 'screenshots-erreur' : ''].filter(Boolean).join(' ');
  return (
    <div class="mb-3">
      <label class="form-label" for="screenshots">Captures d’écran (facultatif)</label>
      <input
        class={`form-control${messages.length ? ' is-invalid' : ''}`}
        type="file"
        id="screenshots"
        name="screenshots"
        multiple
        accept={ACCEPTED_TYPES.join(',')}
        aria-invalid={messages.length ? 'true' : undefined}
        aria-describedby={described}
      />
      <div id="screenshots-aide" class="form-text">
        Jusqu’à {MAX_SCREENSHOTS} images PNG, JPEG ou WebP, de 5 Mo chacune. Vérifiez qu’elles ne montrent ni mot de passe, ni
        code de vérification, ni données de candidats inutiles.
        {retry ? ' Les captures ne sont pas conservées quand le formulaire contient une erreur : sélectionnez-les de nouveau.' : ''}
      </div>
      {messages.length ? (
        <div id="screenshots-erreur" class="invalid-feedback">
          {messages.map((m, i) => (i === 0 ? m : [<br />, m]))}
        </div>
      ) : null}
    </div>
  );
}

export function NewRequestForm({ values, errors, csrf }: { values: FormValues; errors: FieldError[]; csrf: string }) {
  return (
    <form method="post" action="/support/demandes/nouvelle" enctype="multipart/form-data" novalidate>
      <CsrfField token={csrf} />
      <CategorySelect value={values.category} errors={errors} />
      <Field name="subject" label="Objet" value={values.subject} errors={errors} required maxLength={150} help="En quelques mots, par exemple « Erreur à l’envoi d’un devis »." />
      <Field name="description" label="Description" value={values.description} errors={errors} required multiline maxLength={5000} help="Ce que vous cherchiez à faire, ce qui s’est passé à la place, avec le message exact affiché." />
      <Field name="steps" label="Étapes suivies (facultatif)" value={values.steps} errors={errors} multiline maxLength={5000} help="Dans l’ordre : la page où vous étiez, ce que vous avez cliqué ou saisi, l’heure approximative." />
      <Field
        name="errorReference"
        label="Référence de l’erreur (facultatif)"
        value={values.errorReference}
        errors={errors}
        maxLength={36}
        help={<>Affichée sur la page d’erreur ; vous la retrouvez aussi dans <a href="/compte/incidents">Mes incidents</a>.</>}
      />
      <ScreenshotsInput errors={errors} retry={errors.length > 0} />
      <button class="btn btn-primary" type="submit">Envoyer la demande</button>
    </form>
  );
}

export function RequestTable({ requests, caption, showRequester }: { requests: SupportRequestListItem[]; caption: string; showRequester: boolean }) {
  return (
    <table class="table align-middle">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">N°</th>
          <th scope="col">Objet</th>
          <th scope="col">Catégorie</th>
          {showRequester ? <th scope="col">Demandeur</th> : null}
          {showRequester ? <th scope="col">Organisme</th> : null}
          <th scope="col">Statut</th>
          <th scope="col">Créée le</th>
          <th scope="col">Mise à jour</th>
        </tr>
      </thead>
      <tbody>
        {requests.map((r) => (
          <tr data-request={r.id}>
            <td>{r.number}</td>
            <td><a href={`/support/demandes/${r.id}`}>{r.subject}</a></td>
            <td>{categoryLabel(r.category)}</td>
            {showRequester ? <td>{r.requester.displayName}</td> : null}
            {showRequester ? <td>{r.requester.organisation?.name ?? 'Candidat'}</td> : null}
            <td><StatusBadge status={r.status} /></td>
            <td class="text-nowrap">{formatDateTime(r.createdAt)}</td>
            <td class="text-nowrap">{formatDateTime(r.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Pager({ page, hasMore, link }: { page: number; hasMore: boolean; link: (page: number) => string }) {
  if (page === 1 && !hasMore) return null;
  return (
    <nav aria-label="Pages" class="d-flex gap-3">
      {page > 1 ? <a href={link(page - 1)}>Page précédente</a> : null}
      <span>Page {page}</span>
      {hasMore ? <a href={link(page + 1)}>Page suivante</a> : null}
    </nav>
  );
}

const TYPE_NAMES: Record<string, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP' };

export function Attachments({ view }: { view: SupportRequestView }) {
  if (view.attachments.length === 0) return null;
  return (
    <section aria-labelledby="titre-captures" class="mb-4">
      <h2 id="titre-captures" class="h5">Captures d’écran</h2>
      <ul>
        {view.attachments.map((a) => (
          <li>
            <a href={a.url} download={a.fileName}>{a.fileName}</a> ({TYPE_NAMES[a.mediaType] ?? a.mediaType}, {frenchSize(a.size)})
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Conversation({ view }: { view: SupportRequestView }) {
  return (
    <section aria-labelledby="titre-echanges" class="mb-4">
      <h2 id="titre-echanges" class="h5">Échanges</h2>
      {view.messages.length === 0 ? <p>Aucune réponse pour l’instant.</p> : null}
      {view.messages.map((m) => (
        <article class={`card mb-2${m.authorRole === 'agent' ? ' border-success' : ''}`} aria-label={`Message de ${m.authorName} du ${formatDateTime(m.at)}`}>
          <div class="card-body">
            <p class="card-subtitle mb-2 text-body-secondary small">
              {m.authorName}{m.authorRole === 'agent' ? ' (assistance)' : ''}, le {formatDateTime(m.at)}
            </p>
            <MultilineText text={m.body} />
          </div>
        </article>
      ))}
    </section>
  );
}

export function ReplyForm({ view, csrf, errors, value }: { view: SupportRequestView; csrf: string; errors: FieldError[]; value: string }) {
  if (!view.actions.reply) return null;
  return (
    <form method="post" action={`/support/demandes/${view.id}/reponse`} class="mb-3" novalidate>
      <CsrfField token={csrf} />
      <Field name="body" label={view.viewerRole === 'agent' ? 'Réponse de l’assistance' : 'Votre message'} value={value} errors={errors} required multiline maxLength={5000} />
      <button class="btn btn-primary" type="submit">Envoyer le message</button>
    </form>
  );
}

export function StatusForms({ view, csrf }: { view: SupportRequestView; csrf: string }) {
  const button = (status: 'closed' | 'open', label: string) => (
    <form method="post" action={`/support/demandes/${view.id}/statut`} class="d-inline">
      <CsrfField token={csrf} />
      <input type="hidden" name="status" value={status} />
      <button class="btn btn-outline-secondary" type="submit">{label}</button>
    </form>
  );
  return (
    <div class="d-flex gap-2 mb-4">
      {view.actions.close ? button('closed', 'Clore la demande') : null}
      {view.actions.reopen ? button('open', 'Rouvrir la demande') : null}
    </div>
  );
}

export function Facts({ view, extra }: { view: SupportRequestView; extra?: ComponentChildren }) {
  return (
    <dl class="row mb-4">
      <dt class="col-sm-3">Statut</dt>
      <dd class="col-sm-9"><StatusBadge status={view.status} /></dd>
      <dt class="col-sm-3">Catégorie</dt>
      <dd class="col-sm-9">{categoryLabel(view.category)}</dd>
      {view.viewerRole === 'agent' ? (
        <>
          <dt class="col-sm-3">Demandeur</dt>
          <dd class="col-sm-9">
            {view.requester.displayName} ({view.requester.login}) — {view.requester.organisation?.name ?? 'candidat, sans organisme'}
          </dd>
        </>
      ) : null}
      <dt class="col-sm-3">Envoyée le</dt>
      <dd class="col-sm-9">{formatDateTime(view.createdAt)}</dd>
      <dt class="col-sm-3">Référence de l’erreur</dt>
      <dd class="col-sm-9">{view.errorReference ? <span class="font-monospace">{view.errorReference}</span> : 'aucune'}{extra}</dd>
    </dl>
  );
}
