/**
 * Support requests, the pure part: categories, statuses and who may move a request from one to
 * the other (a table, like the quote lifecycle). What the routes accept: schemas.ts.
 */
import type { SupportRequestStatus } from '../../../db/schema.js';

export const SUPPORT_CATEGORIES = [
  { code: 'acces', label: 'Accès et connexion' },
  { code: 'habilitations', label: 'Habilitations' },
  { code: 'devis', label: 'Devis' },
  { code: 'assiduite', label: 'Assiduité et suivi de formation' },
  { code: 'erreur', label: 'Erreur ou comportement inattendu' },
  { code: 'autre', label: 'Autre question' },
] as const;
export type SupportCategory = (typeof SUPPORT_CATEGORIES)[number]['code'];
export const CATEGORY_CODES = SUPPORT_CATEGORIES.map((c) => c.code) as [SupportCategory, ...SupportCategory[]];

export const SUPPORT_STATUSES = ['open', 'answered', 'closed'] as const satisfies readonly SupportRequestStatus[];
export const STATUS_LABELS: Record<SupportRequestStatus, string> = { open: 'Ouverte', answered: 'Répondue', closed: 'Close' };

export function categoryLabel(code: string): string {
  return SUPPORT_CATEGORIES.find((c) => c.code === code)?.label ?? code;
}

/** The two sides of a request: the person who asked, and the agency's support agents. */
export type SupportParty = 'requester' | 'agent';
export type SupportMove = 'reply' | 'close' | 'reopen';

interface Transition {
  move: SupportMove;
  by: readonly SupportParty[];
  from: readonly SupportRequestStatus[];
  to: SupportRequestStatus;
}

/**
 * open → answered → closed, and back: an agent's reply answers the request, the requester's
 * reply (or their reopening a closed one) puts it back in the queue. A closed request takes no
 * reply: it must be reopened first, and only its requester may do that.
 */
export const TRANSITIONS: readonly Transition[] = [
  { move: 'reply', by: ['agent'], from: ['open', 'answered'], to: 'answered' },
  { move: 'reply', by: ['requester'], from: ['open', 'answered'], to: 'open' },
  { move: 'close', by: ['requester', 'agent'], from: ['open', 'answered'], to: 'closed' },
  { move: 'reopen', by: ['requester'], from: ['closed'], to: 'open' },
];

export type MoveOutcome =
  | { ok: true; to: SupportRequestStatus }
  | { ok: false; reason: 'forbidden' | 'conflict'; message: string };

const REFUSALS: Record<SupportMove, { forbidden: string; conflict: string }> = {
  reply: {
    forbidden: 'Vous ne pouvez pas répondre à cette demande.',
    conflict: 'Cette demande est close : elle ne reçoit plus de réponse. Son demandeur peut la rouvrir.',
  },
  close: { forbidden: 'Vous ne pouvez pas clore cette demande.', conflict: 'Cette demande est déjà close.' },
  reopen: {
    forbidden: 'Seul le demandeur peut rouvrir sa demande.',
    conflict: 'Cette demande n’est pas close : elle est toujours traitée par l’assistance.',
  },
};

export function applyMove(move: SupportMove, party: SupportParty, current: SupportRequestStatus): MoveOutcome {
  const rows = TRANSITIONS.filter((t) => t.move === move && t.by.includes(party));
  if (rows.length === 0) return { ok: false, reason: 'forbidden', message: REFUSALS[move].forbidden };
  const row = rows.find((t) => t.from.includes(current));
  if (!row) return { ok: false, reason: 'conflict', message: REFUSALS[move].conflict };
  return { ok: true, to: row.to };
}

export const REFERENCE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const REFERENCE_MESSAGE =
  'Référence de l’erreur (errorReference) : recopiez la référence affichée sur la page d’erreur, par exemple 1b4e28ba-2fa1-41d2-883f-0016d3cca427, ou laissez le champ vide.';

export function isErrorReference(value: string): boolean {
  return REFERENCE.test(value);
}
