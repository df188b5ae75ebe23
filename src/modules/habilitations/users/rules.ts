/**
 * GID rules (docs/product/joining-and-habilitations.md#gid-users-and-habilitations), pure: who may
 * do what to which account and habilitation, and the shape of the inputs. The service applies them;
 * the tests read them as tables.
 */
import { fieldErrorsFrom } from '../../../http/problem.js';
import { z } from 'zod';
import { APPLICATIONS, isKnownRole } from '../catalogue.js';
import type { Actor } from '../policy.js';

/** The only roles an account manager may grant or revoke: never an agency role, never their own. */
export const GRANTABLE_BY_ACCOUNT_MANAGER: ReadonlyArray<{ application: string; role: string }> = [
  { application: 'kairos', role: 'quote_editor' },
  { application: 'kairos', role: 'attendance_officer' },
  { application: 'kairos', role: 'reader' },
  { application: 'kairos', role: 'trainer' },
  { application: 'support', role: 'user' },
];

export type Grantability = 'allowed' | 'forbidden' | 'unknown_application' | 'unknown_role';

export function grantability(application: string, role: string): Grantability {
  if (!(APPLICATIONS as readonly string[]).includes(application)) return 'unknown_application';
  if (!isKnownRole(application, role)) return 'unknown_role';
  return GRANTABLE_BY_ACCOUNT_MANAGER.some((g) => g.application === application && g.role === role) ? 'allowed' : 'forbidden';
}

/**
 * Why a detector's suspension is refused to the account manager (and where it is lifted): only
 * the agency reinstates such an account, through the alert, after checking it was not hijacked.
 */
export function securitySuspensionRefusal(origin: 'bulk_access' | 'creation_guard'): string {
  const why =
    origin === 'bulk_access'
      ? 'il a consulté ou recherché un nombre inhabituel de dossiers de candidats en peu de temps'
      : 'il a été créé ou habilité au-delà du volume habituel de la journée et attend la confirmation de l’agence';
  return (
    `Ce compte a été suspendu par un dispositif de sécurité (${why}). ` +
    'Seule l’administration de l’agence peut le rétablir, depuis l’alerte de sécurité correspondante (menu Sécurité, Alertes), après avoir vérifié qu’il n’a pas été détourné.'
  );
}

export type GidAction = 'list' | 'view' | 'create' | 'suspend' | 'reactivate' | 'delete' | 'grant' | 'revoke';

/** Incident response: the agency may look at any organisation's users and (un)suspend them. */
const AGENCY_ADMIN_ACTIONS: ReadonlySet<GidAction> = new Set(['list', 'view', 'suspend', 'reactivate']);

export type GidPermission = 'allow' | 'forbidden' | 'not_found';

/**
 * Tenant first: an account manager acts on their own organisation only, and anything else is
 * answered as if it did not exist. Agency administrators see every organisation but may only
 * list and (un)suspend. `habilitations` are the effective ones (agency roles count only for
 * agency staff), so a forged row cannot widen this.
 */
export function gidPermission(actor: Pick<Actor, 'organisation' | 'habilitations'>, organisationId: string, action: GidAction): GidPermission {
  const holds = (role: string) => actor.habilitations.some((h) => h.application === 'gid' && h.role === role);
  if (holds('account_manager') && actor.organisation?.id === organisationId) return 'allow';
  if (holds('agency_admin') && actor.organisation?.kind === 'agency') {
    return AGENCY_ADMIN_ACTIONS.has(action) ? 'allow' : 'forbidden';
  }
  return 'not_found';
}

export interface Refusal {
  status: 403 | 409;
  message: string;
}

export const REFUSALS = {
  selfSuspend: { status: 409, message: 'Vous ne pouvez pas suspendre votre propre compte. Demandez-le à l’administration de l’agence si nécessaire.' },
  selfDelete: { status: 409, message: 'Vous ne pouvez pas supprimer votre propre compte. Le changement de responsable de gestion des comptes se demande à l’agence.' },
  selfRevokeManager: {
    status: 409,
    message: 'Vous ne pouvez pas retirer votre propre habilitation de responsable de gestion des comptes. Le changement de responsable se demande à l’agence.',
  },
  otherManager: {
    status: 403,
    message: 'Ce compte est celui d’un responsable de gestion des comptes : seule l’administration de l’agence peut le suspendre ou le supprimer.',
  },
  notRevocable: {
    status: 403,
    message: 'Cette habilitation ne peut être retirée que par l’administration de l’agence.',
  },
  notGrantable: {
    status: 403,
    message: 'Vous ne pouvez accorder que les rôles Kairos (rédaction des devis, déclaration de l’assiduité, consultation) et l’accès à l’assistance.',
  },
} as const satisfies Record<string, Refusal>;

/**
 * What an actor may not do to an account even inside their own organisation. Account managers
 * may not lock each other out: a hijacked RGC account (December 2025) must not be able to evict
 * the legitimate one. Agency administrators may, except themselves.
 */
export function accountChangeRefusal(
  input: { actorId: string; targetId: string; targetIsManager: boolean; byAgency: boolean },
  action: 'suspend' | 'delete',
): Refusal | null {
  if (input.actorId === input.targetId) return action === 'suspend' ? REFUSALS.selfSuspend : REFUSALS.selfDelete;
  if (input.targetIsManager && !input.byAgency) return REFUSALS.otherManager;
  return null;
}

/** Revoking is allowed for exactly what may be granted; one's own RGC role is a conflict, not a right. */
export function revocationRefusal(input: { actorId: string; targetId: string; application: string; role: string }): Refusal | null {
  if (input.actorId === input.targetId && input.application === 'gid' && input.role === 'account_manager') return REFUSALS.selfRevokeManager;
  return grantability(input.application, input.role) === 'allowed' ? null : REFUSALS.notRevocable;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Path ids are checked before any query: a malformed one is simply an unknown resource (404). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export const USER_STATUSES = ['pending', 'active', 'suspended'] as const;
export type ListedStatus = (typeof USER_STATUSES)[number];

// Letters of any alphabet (and combining accents), spaces, hyphens and apostrophes.
const NAME_CHARS = /^[\p{L}\p{M} '’-]+$/u;

function nameField(label: string, lower: string) {
  return z
    .string({ error: (i) => (i.input === undefined ? `${label} est obligatoire : saisissez-le.` : `${label} doit être un texte.`) })
    .normalize()
    .trim()
    .min(1, { error: `${label} est obligatoire : saisissez-le.` })
    .max(100, { error: `${label} ne doit pas dépasser 100 caractères : abrégez-le.` })
    .regex(NAME_CHARS, { error: `${label} ne peut contenir que des lettres, des espaces, des traits d’union et des apostrophes : corrigez ${lower}.` })
    .regex(/\p{L}/u, { error: `${label} doit contenir au moins une lettre.` });
}

const BODY_NOT_OBJECT = 'Le corps de la requête doit être un objet JSON.';

export const newUserSchema = z.strictObject(
  {
    lastName: nameField('Le nom', 'le nom'),
    firstName: nameField('Le prénom', 'le prénom'),
    email: z
      .string({ error: (i) => (i.input === undefined ? 'L’adresse électronique est obligatoire : saisissez-la.' : 'L’adresse électronique doit être un texte.') })
      .trim()
      .min(1, { error: 'L’adresse électronique est obligatoire : saisissez-la.' })
      .max(254, { error: 'L’adresse électronique ne doit pas dépasser 254 caractères.' })
      .pipe(z.email({ error: 'L’adresse électronique n’est pas valide : vérifiez-la (par exemple prenom.nom@organisme.fr).' })),
  },
  { error: BODY_NOT_OBJECT },
);
export type NewUserInput = z.infer<typeof newUserSchema>;

const shortText = (label: string) =>
  z
    .string({ error: (i) => (i.input === undefined ? `${label} est obligatoire.` : `${label} doit être un texte.`) })
    .trim()
    .min(1, { error: `${label} est obligatoire.` })
    .max(50, { error: `${label} est trop long.` });

export const grantSchema = z.strictObject({ application: shortText('L’application'), role: shortText('Le rôle') }, { error: BODY_NOT_OBJECT });
export type GrantInput = z.infer<typeof grantSchema>;

/** Empty query parameters (`?q=&status=`) mean "no filter". */
const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

export const listQuerySchema = z.object({
  q: z.preprocess(
    emptyAsUndefined,
    z.string({ error: 'La recherche doit être un texte unique.' }).trim().max(100, { error: 'La recherche ne doit pas dépasser 100 caractères.' }).optional(),
  ),
  status: z.preprocess(
    emptyAsUndefined,
    z.enum(USER_STATUSES, { error: 'Le statut doit être « pending », « active » ou « suspended ».' }).optional(),
  ),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export const suspendSchema = z
  .strictObject({ reason: z.string({ error: 'Le motif doit être un texte.' }).trim().max(500, { error: 'Le motif ne doit pas dépasser 500 caractères.' }).optional() }, { error: BODY_NOT_OBJECT })
  .optional();
export type SuspendInput = z.infer<typeof suspendSchema>;

export interface FieldMessage {
  field: string;
  message: string;
}

/** zod issues → one French message per field, as the API and the forms show them. */
export function fieldMessages(error: z.ZodError): FieldMessage[] {
  return fieldErrorsFrom(error.issues);
}
