/**
 * What the candidate and the advisor read on a quote: the training in
 * plain words, the funding with what is NOT funded spelled out, the warnings the rules raise,
 * the funding agreement once approved, and the notices and error summaries of their pages.
 * The forms are in party-forms.tsx; the organisation's editor views are in record-views.tsx.
 */
import type { ComponentChildren } from 'preact';
import type { FieldError } from '../../../http/problem.js';
import { ErrorSummary } from '../../../http/views/layout.js';
import { formatFrenchDate } from '../rules/holidays.js';
import type { QuoteStatus } from '../rules/lifecycle.js';
import { formatEuros } from '../rules/money.js';
import type { QuoteView } from '../record/views.js';
import { formatHours, weekdayName } from '../rules/schedule.js';

/** Euros with ≤ 2 decimals (the JSON contract) → integer cents, float noise removed. */
const cents = (euros: number) => Math.round(euros * 100);

/** The candidate reads the status from their own side: "soumis au candidat" would speak of them in the third person. */
const CANDIDATE_STATUS_LABELS: Readonly<Record<QuoteStatus, string>> = {
  draft: 'en cours de modification par l’organisme',
  submitted: 'en attente de votre réponse',
  accepted: 'accepté par vous, en attente de la décision du conseiller',
  declined: 'décliné par vous',
  approved: 'validé par le conseiller',
  refused: 'refusé par le conseiller',
  changes_requested: 'modifications demandées à l’organisme par le conseiller',
  cancelled: 'annulé par l’organisme',
  expired: 'expiré',
};

export const candidateStatusLabel = (status: string) => CANDIDATE_STATUS_LABELS[status as QuoteStatus] ?? status;

/** A confirmation after a redirect (303). */
export function Notice({ text }: { text: string | null | undefined }) {
  return text ? <p class="alert alert-success" role="status" id="avis">{text}</p> : null;
}

/**
 * The error summary of a decision form. Fields the page has no input for (the hidden version,
 * a 409 about the whole quote) point at the form itself, so every link lands somewhere.
 */
export function DecisionErrors({ errors, anchors }: { errors: FieldError[]; anchors: Record<string, string> }) {
  return <ErrorSummary errors={errors.map((e) => ({ field: anchors[e.field] ?? 'formulaire-decision', message: e.message }))} />;
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt class="col-sm-4">{label}</dt>
      <dd class="col-sm-8">{children}</dd>
    </>
  );
}

/** Weekly time ranges grouped by day: "lundi : 09:00–12:30, 13:30–17:00". */
function Schedule({ schedule }: { schedule: QuoteView['training']['schedule'] }) {
  const days = [...new Set(schedule.map((r) => r.weekday))].sort((a, b) => a - b);
  return (
    <ul class="list-unstyled mb-0">
      {days.map((d) => (
        <li>{weekdayName(d)} : {schedule.filter((r) => r.weekday === d).map((r) => `${r.from}–${r.to}`).join(', ')}</li>
      ))}
    </ul>
  );
}

/** The training as the candidate must understand it before answering. */
export function TrainingFacts({ quote }: { quote: QuoteView }) {
  const t = quote.training;
  const total = cents(t.centreHours) + cents(t.companyHours);
  return (
    <section aria-labelledby="titre-formation" class="mb-4">
      <h2 id="titre-formation" class="h4">La formation</h2>
      <dl class="row mb-0">
        <Row label="Organisme de formation">{quote.organisation.name}</Row>
        <Row label="Intitulé">{t.title}</Row>
        <Row label="Type de financement">{quote.type === 'POEI' ? 'POEI (préparation opérationnelle à l’emploi individuelle)' : 'AIF (aide individuelle à la formation)'}</Row>
        <Row label="Certification visée">{t.certification ?? 'aucune'}</Row>
        <Row label="Dates">du {formatFrenchDate(t.startDate)} au {formatFrenchDate(t.endDate)}</Row>
        <Row label="Lieu">{t.distanceLearning ? 'formation à distance' : (t.place ?? '—')}</Row>
        <Row label="Emploi du temps"><Schedule schedule={t.schedule} /></Row>
        <Row label="Heures prévues">
          <span id="heures-prevues">{formatHours(total)}</span>, dont {formatHours(cents(t.centreHours))} en centre de formation et {formatHours(cents(t.companyHours))} en entreprise
        </Row>
      </dl>
    </section>
  );
}

/**
 * What the agency pays and what it does not. The unfunded lines are the point of this section:
 * the candidate must know before accepting that someone (they or the organisation) pays them.
 */
export function FundingSection({ quote, funder, audience }: { quote: QuoteView; funder: string; audience: 'candidate' | 'advisor' }) {
  const f = quote.funding;
  const lines = quote.costs.otherLines;
  return (
    <section aria-labelledby="titre-financement" class="mb-4">
      <h2 id="titre-financement" class="h4">Financement</h2>
      <table class="table table-sm w-auto">
        <caption class="visually-hidden">Montants du devis : financé, non financé et total</caption>
        <tbody>
          <tr>
            <th scope="row">Coût pédagogique ({formatHours(cents(quote.training.centreHours) + cents(quote.training.companyHours))} × {formatEuros(cents(quote.costs.hourlyRate))} de l’heure)</th>
            <td class="text-end">{formatEuros(cents(quote.costs.pedagogicalCost))}</td>
          </tr>
          <tr class="table-success">
            <th scope="row">Montant financé par {funder}</th>
            <td class="text-end fw-semibold" id="montant-finance">{formatEuros(cents(f.fundedAmount))}</td>
          </tr>
          {lines.map((l) => (
            <tr>
              <th scope="row">{l.label} (non financé)</th>
              <td class="text-end">{formatEuros(cents(l.amount))}</td>
            </tr>
          ))}
          <tr class={f.notFundedAmount > 0 ? 'table-warning' : undefined}>
            <th scope="row">Montant non financé</th>
            <td class="text-end fw-semibold" id="montant-non-finance">{formatEuros(cents(f.notFundedAmount))}</td>
          </tr>
          <tr>
            <th scope="row">Total du devis</th>
            <td class="text-end">{formatEuros(cents(f.totalAmount))}</td>
          </tr>
        </tbody>
      </table>
      {f.notFundedAmount > 0 ? (
        <p id="explication-non-finance" class="alert alert-warning">
          {funder} finance le coût pédagogique seulement. Les autres frais ({lines.map((l) => l.label).join(', ')}), soit{' '}
          {formatEuros(cents(f.notFundedAmount))}, ne sont pas financés : ils{' '}
          {audience === 'candidate'
            ? 'restent à votre charge ou à celle de l’organisme. Demandez à l’organisme de formation qui les paiera avant de répondre.'
            : 'restent à la charge du candidat ou de l’organisme.'}
        </p>
      ) : (
        <p id="explication-non-finance">Tous les frais de ce devis sont financés par {funder}.</p>
      )}
    </section>
  );
}

/** The rules' warnings (an hourly rate above the usual threshold…), which the advisor weighs before deciding. */
export function WarningsPanel({ warnings }: { warnings: QuoteView['warnings'] }) {
  if (warnings.length === 0) {
    return <p id="avertissements" class="alert alert-secondary">Aucun avertissement : ce devis respecte toutes les règles de contrôle.</p>;
  }
  return (
    <section id="avertissements" class="alert alert-warning" aria-labelledby="titre-avertissements">
      <h2 id="titre-avertissements" class="h5">{warnings.length === 1 ? 'Un avertissement à examiner' : `${warnings.length} avertissements à examiner`}</h2>
      <ul class="mb-0">{warnings.map((w) => <li data-field={w.field}>{w.message}</li>)}</ul>
    </section>
  );
}

/** The agreement served by the API to the three parties (its session cookie suffices for a link). */
export function AgreementSection({ quote }: { quote: QuoteView }) {
  if (quote.status !== 'approved' || !quote.agreementReference) return null;
  return (
    <section aria-labelledby="titre-accord" class="mb-4">
      <h2 id="titre-accord" class="h4">Accord de prise en charge</h2>
      <p>
        Référence <strong>{quote.agreementReference}</strong>.{' '}
        <a id="lien-accord" href={`/api/v1/quotes/${quote.id}/agreement.pdf`}>Télécharger l’accord de prise en charge (PDF)</a>
      </p>
    </section>
  );
}

/** A draft version is the organisation's work in progress: its content is not shown to the other parties until submitted. */
export function DraftInProgress() {
  return (
    <p class="alert alert-info" id="version-en-cours">
      L’organisme de formation prépare une nouvelle version de ce devis, à la suite d’une demande de modifications. Elle sera visible ici dès qu’il l’aura soumise.
    </p>
  );
}
