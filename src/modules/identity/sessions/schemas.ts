import { z } from 'zod';
import { isoInstant } from '../../../http/schemas.js';

/** The answer to an unknown session, another account's, an ended one, or a malformed id alike. */
export const SESSION_NOT_FOUND = 'Cette session est introuvable ou déjà terminée.';

/** `/…/sessions/:sessionId`: the session's id is the hex SHA-256 of its token; anything else answers 404. */
export const sessionIdParams = z.strictObject({
  sessionId: z
    .string({ error: SESSION_NOT_FOUND })
    .regex(/^[0-9a-f]{64}$/, { error: SESSION_NOT_FOUND })
    .meta({ description: 'Identifiant de la session (64 caractères hexadécimaux).' }),
});

export const meSchema = z.object({
  login: z.string(),
  displayName: z.string(),
  organisation: z.object({ id: z.uuid(), name: z.string(), kind: z.enum(['agency', 'training_provider']) }).nullable(),
  habilitations: z.array(z.object({ application: z.string(), role: z.string() })),
});

const sessionSchema = z.object({
  id: z.string(),
  createdAt: isoInstant,
  lastSeenAt: isoInstant,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean().describe('La session de cette requête.'),
});

export const mySessionsSchema = z.object({
  sessions: z.array(sessionSchema).describe('Les sessions ouvertes.'),
  previousSignIn: sessionSchema.nullable().describe('La connexion précédant celle-ci, ouverte ou non : à reconnaître comme la sienne.'),
});
