/**
 * The quote lifecycle (docs/product/quotes.md#lifecycle) as data: one table of transitions and one
 * function that applies a transition or says, in French, why it is refused. The service maps the
 * refusal codes to HTTP (actor_not_allowed → 403, status/reason → 409/422) and records every
 * applied transition.
 */

export const QUOTE_STATUSES = ['draft', 'submitted', 'accepted', 'declined', 'approved', 'refused', 'changes_requested', 'cancelled', 'expired'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

export const QUOTE_ACTORS = ['organisation', 'candidate', 'advisor', 'system'] as const;
export type QuoteActor = (typeof QUOTE_ACTORS)[number];

export const QUOTE_ACTIONS = ['submit', 'accept', 'decline', 'approve', 'refuse', 'request_changes', 'new_version', 'cancel', 'expire'] as const;
export type QuoteAction = (typeof QUOTE_ACTIONS)[number];

/** What a quote's timeline records: the lifecycle's actions, and the draft's creation. */
export const TIMELINE_ACTIONS = ['create', ...QUOTE_ACTIONS] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

export interface QuoteTransition {
  action: QuoteAction;
  from: readonly QuoteStatus[];
  to: QuoteStatus;
  actor: QuoteActor;
  requiresReason?: boolean;
}

export const QUOTE_TRANSITIONS: readonly QuoteTransition[] = [
  { action: 'submit', from: ['draft'], to: 'submitted', actor: 'organisation' },
  { action: 'accept', from: ['submitted'], to: 'accepted', actor: 'candidate' },
  { action: 'decline', from: ['submitted'], to: 'declined', actor: 'candidate' },
  { action: 'approve', from: ['accepted'], to: 'approved', actor: 'advisor' },
  // The organisation and the candidate must be able to understand a refusal or act on a request.
  { action: 'refuse', from: ['accepted'], to: 'refused', actor: 'advisor', requiresReason: true },
  { action: 'request_changes', from: ['accepted'], to: 'changes_requested', actor: 'advisor', requiresReason: true },
  { action: 'new_version', from: ['changes_requested'], to: 'draft', actor: 'organisation' },
  // Only before a decision: once the advisor has decided, the quote is no longer the OF's to
  // withdraw.
  { action: 'cancel', from: ['draft', 'submitted', 'accepted'], to: 'cancelled', actor: 'organisation' },
  { action: 'expire', from: ['submitted', 'accepted'], to: 'expired', actor: 'system' },
];

/** No transition leaves these statuses. */
export const FINAL_STATUSES: readonly QuoteStatus[] = QUOTE_STATUSES.filter((s) => !QUOTE_TRANSITIONS.some((t) => t.from.includes(s)));

export const STATUS_LABELS: Readonly<Record<QuoteStatus, string>> = {
  draft: 'brouillon',
  submitted: 'soumis au candidat',
  accepted: 'accepté par le candidat',
  declined: 'décliné par le candidat',
  approved: 'validé par le conseiller',
  refused: 'refusé par le conseiller',
  changes_requested: 'modifications demandées',
  cancelled: 'annulé',
  expired: 'expiré',
};

const ACTION_LABELS: Readonly<Record<QuoteAction, string>> = {
  submit: 'soumettre le devis',
  accept: 'accepter le devis',
  decline: 'décliner le devis',
  approve: 'valider le devis',
  refuse: 'refuser le devis',
  request_changes: 'demander des modifications',
  new_version: 'créer une nouvelle version',
  cancel: 'annuler le devis',
  expire: 'faire expirer le devis',
};

/** Written with their preposition ("réservée au conseiller"), which French contracts. */
const RESERVED_TO: Readonly<Record<QuoteActor, string>> = {
  organisation: 'à l’organisme de formation',
  candidate: 'au candidat',
  advisor: 'au conseiller',
  system: 'au traitement automatique',
};

const impossibleTo = (what: string) => `Impossible ${/^[aeéiou]/.test(what) ? 'd’' : 'de '}${what}`;

export type TransitionRefusal = 'unknown_action' | 'actor_not_allowed' | 'transition_not_allowed' | 'reason_required';
export type TransitionResult = { ok: true; to: QuoteStatus } | { ok: false; code: TransitionRefusal; message: string };

export function transitionFor(action: QuoteAction): QuoteTransition | undefined {
  return QUOTE_TRANSITIONS.find((t) => t.action === action);
}

/**
 * Applies `action` by `actor` to a quote in status `current`. The actor is checked before the
 * status so that someone who may never take this action learns nothing about the quote's state.
 * A reason made only of spaces counts as missing.
 */
export function applyTransition(current: QuoteStatus, action: QuoteAction, actor: QuoteActor, options: { reason?: string | null } = {}): TransitionResult {
  // Actions arrive from request bodies: an unknown one is refused, not trusted to the type system.
  const t = transitionFor(action);
  if (!t) return { ok: false, code: 'unknown_action', message: `Action inconnue : « ${String(action)} ». Actions possibles : ${QUOTE_ACTIONS.join(', ')}.` };
  const what = ACTION_LABELS[action];
  if (t.actor !== actor) {
    return { ok: false, code: 'actor_not_allowed', message: `Action réservée ${RESERVED_TO[t.actor]} : vous ne pouvez pas ${what}.` };
  }
  if (!t.from.includes(current)) {
    const allowed = t.from.map((s) => `« ${STATUS_LABELS[s]} »`).join(' ou ');
    return {
      ok: false,
      code: 'transition_not_allowed',
      message: `${impossibleTo(what)} : ce devis est « ${STATUS_LABELS[current] ?? current} » ; cette action n’est possible que sur un devis ${allowed}. Rechargez la page pour voir son état actuel.`,
    };
  }
  if (t.requiresReason && !(options.reason ?? '').trim()) {
    return { ok: false, code: 'reason_required', message: `Motif (reason) : obligatoire pour ${what}. Expliquez votre décision, elle sera communiquée à l’organisme et au candidat.` };
  }
  return { ok: true, to: t.to };
}

/** The actions `actor` may take on a quote in `status`: the buttons a page shows. */
export function availableActions(status: QuoteStatus, actor: QuoteActor): QuoteAction[] {
  return QUOTE_TRANSITIONS.filter((t) => t.actor === actor && t.from.includes(status)).map((t) => t.action);
}
