/** What the security-policy routes declare: the organisation in the path, the answers on the wire, the form. */
import { z } from 'zod';
import { isoInstant, uuidParam } from '../../../http/schemas.js';
import { apiForm } from '../forms.js';
import { POLICY_FIELDS, policySchema } from './rules.js';

export const POLICY_TAGS = ['GID — politique de sécurité interne'];

export const organisationParams = z.strictObject({ orgId: uuidParam() });

export const policyWire = z.object({
  rolesPolicy: z.string(),
  departuresPolicy: z.string(),
  otherRules: z.string(),
  updatedAt: isoInstant,
  updatedBy: z.object({ id: z.uuid(), displayName: z.string().nullable().describe('null si le compte a été supprimé.') }),
});

export const missingPoliciesWire = z.object({
  organisations: z.array(z.object({ id: z.uuid(), name: z.string(), siret: z.string().nullable() })),
});

/** The page's form posts the same three texts as the API. */
export const policyForm = apiForm(POLICY_FIELDS, policySchema);
