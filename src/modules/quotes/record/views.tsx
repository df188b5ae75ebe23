/**
 * A quote as a record: the read-only view of a submitted (immutable) version, its timeline,
 * the actions the organisation may still take, and the "save as template" form.
 */
import type { ComponentChildren } from 'preact';
import { formatDateTime } from '../../../http/format.js';
import { CsrfField } from '../../../http/views/layout.js';
import { formatFrenchDate } from '../rules/holidays.js';
import { STATUS_LABELS, availableActions, type QuoteStatus } from '../rules/lifecycle.js';
import { formatEuros } from '../rules/money.js';
import { CONTRACT_LABELS } from '../editor/form-input.js';
import type { getQuote } from './service.js';
import { formatHours, weekdayName } from '../rules/schedule.js';

export type QuoteView = Awaited<ReturnType<typeof getQuote>>;
export type TimelineEntry = NonNullable<QuoteView['timeline']>[number];

export const statusLabel = (status: string) => STATUS_LABELS[status as QuoteStatus] ?? status;

/** Timeline actions as nouns ("Soumission"), as a history reads. */
const EVENT_LABELS: Record<string, string> = {
  create: 'Création du brouillon',
  submit: 'Soumission au candidat',
  accept: 'Acceptation par le candidat',
  decline: 'Refus par le candidat',
  approve: 'Validation par le conseiller',
  refuse: 'Refus par le conseiller',
  request_changes: 'Demande de modifications',
  new_version: 'Nouvelle version',
  cancel: 'Annulation',
  expire: 'Expiration',
};

export function Timeline({ events }: { events: TimelineEntry[] }) {
  if (events.length === 0) return null;
  return (
    <section aria-labelledby="titre-historique" class="mt-4">
      <h2 id="titre-historique" class="h4">Historique</h2>
      <table class="table table-sm table-cards">
        <caption class="visually-hidden">Historique du devis : chaque version et chaque changement de statut</caption>
        <thead>
          <tr><th scope="col">Date</th><th scope="col">Version</th><th scope="col">Étape</th><th scope="col">Statut</th><th scope="col">Par</th><th scope="col">Commentaire</th></tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr>
              <td data-label="Date">{formatDateTime(new Date(e.at))}</td>
              <td data-label="Version">{e.version}</td>
              <td data-label="Étape">{EVENT_LABELS[e.action] ?? e.action}</td>
              <td data-label="Statut">{e.fromStatus ? `${statusLabel(e.fromStatus)} → ${statusLabel(e.toStatus)}` : statusLabel(e.toStatus)}</td>
              <td data-label="Par">{e.actor ?? 'traitement automatique'}</td>
              <td data-label="Commentaire">{e.comment ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The advisor's comment that opened this draft version, if any. */
export function ChangeRequest({ quote }: { quote: QuoteView }) {
  if (quote.status !== 'draft' || quote.version < 2) return null;
  const request = [...(quote.timeline ?? [])].reverse().find((e) => (e.action === 'request_changes' || e.action === 'new_version') && e.comment);
  if (!request) return null;
  return (
    <div class="alert alert-info" id="demande-modifications">
      <h2 class="h5">Modifications demandées par le conseiller</h2>
      <p class="mb-0">« {request.comment} » — le {formatDateTime(new Date(request.at))}. Corrigez cette version {quote.version} puis soumettez-la.</p>
    </div>
  );
}

const ACTION_BUTTONS: Record<string, { path: string; label: string; help: string; style: string }> = {
  cancel: { path: 'annuler', label: 'Annuler le devis', help: 'Possible tant que le conseiller n’a pas décidé ; le candidat n’aura plus à se prononcer.', style: 'btn-outline-danger' },
  new_version: { path: 'nouvelle-version', label: 'Créer une nouvelle version', help: 'Ouvre un brouillon de la version suivante, à corriger selon la demande du conseiller.', style: 'btn-primary' },
};

/** The organisation's transitions for this status (submission is the editor form's own button). */
export function QuoteActions({ quote, csrf }: { quote: QuoteView; csrf: string }) {
  const actions = availableActions(quote.status as QuoteStatus, 'organisation').filter((a) => ACTION_BUTTONS[a]);
  const approved = quote.status === 'approved';
  if (actions.length === 0 && !approved) return null;
  return (
    <section aria-labelledby="titre-actions" class="mt-4">
      <h2 id="titre-actions" class="h4">Actions</h2>
      {approved ? <p><a href={`/api/v1/quotes/${quote.id}/agreement.pdf`}>Télécharger l’accord de prise en charge (PDF)</a></p> : null}
      {actions.map((a) => {
        const b = ACTION_BUTTONS[a];
        return (
          <form method="post" action={`/devis/${quote.id}/${b.path}`} class="mb-2">
            <CsrfField token={csrf} />
            <button type="submit" class={`btn ${b.style}`}>{b.label}</button>
            <span class="small ms-2">{b.help}</span>
          </form>
        );
      })}
    </section>
  );
}

export function TemplateSaveForm({ quoteId, csrf, name, error }: { quoteId: string; csrf: string; name: string; error?: string }) {
  return (
    <section aria-labelledby="titre-modele" class="mt-4">
      <h2 id="titre-modele" class="h4">Enregistrer la formation comme modèle</h2>
      <form method="post" action={`/devis/${quoteId}/modele`} class="row g-2 align-items-start" novalidate>
        <CsrfField token={csrf} />
        <div class="col-md-6">
          <label class="form-label" for="modele-nom">Nom du modèle</label>
          <input class={`form-control${error ? ' is-invalid' : ''}`} id="modele-nom" name="name" value={name} maxLength={100} aria-invalid={error ? 'true' : undefined} aria-describedby={`modele-nom-aide${error ? ' modele-nom-erreur' : ''}`} />
          <div id="modele-nom-aide" class="form-text">Reprend la formation telle qu’enregistrée (intitulé, codes, dates, emploi du temps, heures, lieu), sans le candidat ni les coûts.</div>
          {error ? <div id="modele-nom-erreur" class="invalid-feedback d-block">{error}</div> : null}
        </div>
        <div class="col-md-6 pt-md-4 mt-md-2">
          <button type="submit" class="btn btn-outline-secondary">Enregistrer comme modèle</button>
        </div>
      </form>
    </section>
  );
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt class="col-sm-4">{label}</dt>
      <dd class="col-sm-8">{children}</dd>
    </>
  );
}

/** A submitted version, as the candidate and the advisor see it: nothing can change it. */
export function QuoteRecord({ quote }: { quote: QuoteView }) {
  const t = quote.training;
  const c = quote.costs;
  return (
    <>
      <section aria-labelledby="titre-candidat">
        <h2 id="titre-candidat" class="h4">Candidat</h2>
        <dl class="row">
          <Row label="Identifiant">{quote.candidate.identifier}</Row>
          <Row label="Nom">{quote.candidate.lastName}</Row>
          <Row label="Date de naissance">{formatFrenchDate(quote.candidate.birthDate)}</Row>
        </dl>
      </section>
      <section aria-labelledby="titre-formation">
        <h2 id="titre-formation" class="h4">Formation</h2>
        <dl class="row">
          <Row label="Intitulé">{t.title}</Row>
          <Row label="Session Carif-Oref">{t.carifOrefSession || '—'}</Row>
          <Row label="Formacode">{t.formacode || '—'}</Row>
          <Row label="Certification">{t.certification ?? 'aucune'}</Row>
          <Row label="Dates">du {formatFrenchDate(t.startDate)} au {formatFrenchDate(t.endDate)}</Row>
          <Row label="Lieu">{t.distanceLearning ? 'formation à distance' : (t.place ?? '—')}</Row>
          <Row label="Emploi du temps">
            <ul class="list-unstyled mb-0">{t.schedule.map((r) => <li>{weekdayName(r.weekday)} de {r.from} à {r.to}</li>)}</ul>
          </Row>
          <Row label="Heures">{formatHours(Math.round(t.centreHours * 100))} en centre, {formatHours(Math.round(t.companyHours * 100))} en entreprise</Row>
        </dl>
      </section>
      <section aria-labelledby="titre-couts">
        <h2 id="titre-couts" class="h4">Coûts</h2>
        <dl class="row">
          <Row label="Taux horaire">{formatEuros(Math.round(c.hourlyRate * 100))}</Row>
          <Row label="Coût pédagogique">{formatEuros(Math.round(c.pedagogicalCost * 100))}</Row>
          {c.otherLines.map((l) => <Row label={`${l.label} (non financé)`}>{formatEuros(Math.round(l.amount * 100))}</Row>)}
        </dl>
      </section>
      {quote.poei ? (
        <section aria-labelledby="titre-poei">
          <h2 id="titre-poei" class="h4">Volet POEI (employeur)</h2>
          <dl class="row">
            <Row label="SIRET de l’employeur">{quote.poei.employerSiret}</Row>
            <Row label="Offre d’emploi">{quote.poei.jobOfferReference}</Row>
            <Row label="Contrat promis">{CONTRACT_LABELS[quote.poei.contractType]}{quote.poei.contractMonths !== null ? `, ${quote.poei.contractMonths} mois` : ''}</Row>
            <Row label="Tuteur">{`${quote.poei.tutor.firstName} ${quote.poei.tutor.lastName}, ${quote.poei.tutor.jobTitle}`}</Row>
          </dl>
        </section>
      ) : null}
    </>
  );
}
