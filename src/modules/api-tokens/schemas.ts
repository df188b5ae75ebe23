/** What the API-token routes declare: the body of a creation, the answers on the wire. */
import { z } from 'zod';
import { isoInstant, uuidParam } from '../../http/schemas.js';
import { TOKEN_ROLES, parseAllowedIp } from './rules.js';

export const TOKEN_TAGS = ['Jetons d’API'];

export const NAME_MESSAGE = 'Nom (name) : de 1 à 100 caractères, pour reconnaître le logiciel qui utilise le jeton.';
export const ROLES_MESSAGE = `Rôles (roles) : une liste non vide parmi ${TOKEN_ROLES.join(', ')}, chacun une seule fois.`;
export const EXPIRES_MESSAGE = 'Expiration (expiresAt) : une date et heure ISO 8601 (par exemple 2027-06-30T00:00:00Z), dans le futur et au plus un an après aujourd’hui.';
export const IPS_MESSAGE =
  'Adresses autorisées (allowedIps) : une liste (50 au plus) d’adresses IPv4 ou IPv6 ou de plages CIDR (par exemple 192.0.2.10, 198.51.100.0/24, 2001:db8::/32) ; liste vide pour toute adresse.';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export const tokenName = z.string({ error: NAME_MESSAGE }).trim().min(1, NAME_MESSAGE).max(100, NAME_MESSAGE).regex(/^[^\p{Cc}]*$/u, NAME_MESSAGE);
export const tokenRoles = z
  .array(z.enum(TOKEN_ROLES, { error: ROLES_MESSAGE }), { error: ROLES_MESSAGE })
  .min(1, ROLES_MESSAGE)
  .refine((roles) => new Set(roles).size === roles.length, ROLES_MESSAGE);
export const tokenExpiry = z
  .string({ error: EXPIRES_MESSAGE })
  .regex(ISO_INSTANT, EXPIRES_MESSAGE)
  .refine((v) => !Number.isNaN(Date.parse(v)), EXPIRES_MESSAGE)
  .transform((v) => new Date(v));
export const allowedIps = z
  .array(z.string({ error: IPS_MESSAGE }).max(60, IPS_MESSAGE).refine((v) => parseAllowedIp(v) !== null, IPS_MESSAGE), { error: IPS_MESSAGE })
  .max(50, IPS_MESSAGE)
  .transform((ips) => [...new Set(ips.map((ip) => ip.trim()))]);

export const createTokenBody = z.strictObject({ name: tokenName, roles: tokenRoles, expiresAt: tokenExpiry, allowedIps: allowedIps.default([]) });
export type CreateTokenInput = z.infer<typeof createTokenBody>;

export const organisationParams = z.strictObject({ orgId: uuidParam() });
export const tokenParams = z.strictObject({ orgId: uuidParam(), tokenId: uuidParam() });

export const createdTokenWire = z.object({
  id: z.uuid(),
  token: z.string().describe('Le secret, montré cette seule fois : conservez-le dans le coffre du logiciel appelant.'),
});

export const tokenWire = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  organisationName: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  allowedIps: z.array(z.string()),
  createdAt: isoInstant,
  createdBy: z.string().nullable(),
  expiresAt: isoInstant,
  revokedAt: isoInstant.nullable(),
  lastUsedAt: isoInstant.nullable(),
  lastUsedIp: z.string().nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
});

export const tokenListWire = z.object({ tokens: z.array(tokenWire) });
