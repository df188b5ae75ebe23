/**
 * What the GID user routes declare (docs/decisions/0022-one-validation-path.md): the ids in their
 * paths, the API's answers as they travel, and the page forms, which check with the API's own
 * rules (rules.ts) so that a field reads the same message in both.
 */
import { z } from 'zod';
import { formField } from '../../../http/forms.js';
import { isoInstant, uuidParam } from '../../../http/schemas.js';
import { grantSchema, newUserSchema, suspendSchema, USER_STATUSES } from './rules.js';

export const GID_TAGS = ['GID — utilisateurs'];

/** A malformed id names nothing: 404, like an unknown or foreign one. */
export const organisationParams = z.strictObject({ orgId: uuidParam() });
export const userParams = z.strictObject({ orgId: uuidParam(), userId: uuidParam() });
export const habilitationParams = z.strictObject({ orgId: uuidParam(), userId: uuidParam(), habilitationId: uuidParam() });
export const userPageParams = z.strictObject({ userId: uuidParam() });
export const habilitationPageParams = z.strictObject({ userId: uuidParam(), habilitationId: uuidParam() });

/** Suspending needs no body; Fastify hands the schema `null` for none. */
export const suspendBody = z.preprocess((v) => (v === null ? undefined : v), suspendSchema);

export const userWire = z.object({
  id: z.uuid(),
  login: z.string(),
  displayName: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  status: z.enum(USER_STATUSES),
  securitySuspension: z
    .enum(['bulk_access', 'creation_guard'])
    .nullable()
    .describe('Suspension par un dispositif de sécurité (accès en masse, création de comptes inhabituelle) : seule l’agence la lève, depuis l’alerte.'),
  lastSignInAt: isoInstant.nullable(),
  habilitations: z.array(z.object({ id: z.uuid(), application: z.string(), role: z.string(), grantedAt: isoInstant, grantedBy: z.uuid().nullable() })),
});
export const userListWire = z.object({ users: z.array(userWire) });
export const createdUserWire = z.object({
  id: z.uuid(),
  login: z.string(),
  pendingAgencyConfirmation: z.boolean().describe('Volume inhabituel : le compte attend la confirmation de l’agence (courriels retenus).'),
});
export const grantedWire = z.object({ id: z.uuid(), application: z.string(), role: z.string() });
export const noContent = z.null().describe('Fait.');

/** The creation form: the API's rules on the three fields (a field left empty is "obligatoire"). */
export const newUserForm = z.object({ lastName: formField(300), firstName: formField(300), email: formField(300) }).pipe(newUserSchema);

/** The grant form: one select whose values are "application/role", judged by the API's rules. */
export const grantForm = z
  .object({ habilitation: formField(120) })
  .transform(({ habilitation }) => {
    const [application = '', role = ''] = habilitation.split('/');
    return { application, role };
  })
  .pipe(grantSchema);

/** Buttons without fields (revoke, suspend, reactivate): the CSRF token and the button only. */
export const actionForm = z.object({});
export const deletionForm = z.object({ confirmation: formField(10) });
