/** Schemas of the digital attendance sheet routes: the OpenAPI document is generated from them. */
import { z } from 'zod';
import { idParams, isoDay, isoInstant } from '../../../http/schemas.js';
import { choice, isoDate, jsonBody, monthSchema, text } from '../schemas.js';
import { SHEET_NOT_FOUND } from './service.js';

export const SHEET_TAGS = ['Émargement numérique'];
export const sheetParams = idParams(SHEET_NOT_FOUND);

const PATH_DATA = /^[MLCQZmlcqz0-9 ,.\-]+$/;
/** A drawn signature: SVG path data only (moves, lines, curves), as the canvas records it. */
export const signatureSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('drawn'),
      paths: z
        .array(z.string().max(20_000).regex(PATH_DATA, 'Signature : tracé invalide (seules des lignes et des courbes sont acceptées).'), { error: 'Signature : tracé attendu.' })
        .min(1, 'Signature : tracez votre signature, ou choisissez « Je confirme ma présence ».')
        .max(200, 'Signature : 200 traits au maximum.'),
    }),
    z.strictObject({ kind: z.literal('confirmed') }),
  ],
  { error: 'Signature (signature) : « drawn » avec son tracé, ou « confirmed ».' },
);

export const openSheetBody = jsonBody(
  z.strictObject({
    session: text('Session Carif-Oref (session)', 1, 100),
    date: isoDate('Date (date)'),
    period: choice('Demi-journée (period)', ['am', 'pm'] as const, 'am (matin), pm (après-midi)'),
  }),
);

export const closeSheetBody = jsonBody(z.strictObject({ signature: signatureSchema }));

export const signBody = jsonBody(
  z.strictObject({
    token: z.string({ error: 'Code (token) : champ obligatoire, scannez le code affiché par votre formateur.' }).max(200, 'Code (token) : 200 caractères au maximum.'),
    signature: signatureSchema.optional(),
  }),
);

export const listQuery = z.strictObject({ session: text('Session Carif-Oref (session)', 1, 100).optional(), month: monthSchema.optional() });

const period = z.enum(['am', 'pm']);

export const sheetSchema = z.object({
  id: z.string().uuid(),
  status: z.enum(['open', 'closed']),
  session: z.string(),
  date: isoDay,
  period,
  startsAt: z.string(),
  endsAt: z.string(),
  organisation: z.object({ id: z.string().uuid(), name: z.string() }),
  openedAt: isoInstant,
  openedBy: z.string(),
  closedAt: isoInstant.nullable(),
  closedBy: z.string().nullable(),
  contentHash: z.string().nullable().meta({ description: 'SHA-256 de ce que la feuille close atteste' }),
  trainees: z.array(
    z.object({ trainingId: z.string().uuid(), firstName: z.string(), lastName: z.string(), signedAt: isoInstant.nullable(), signatureKind: z.enum(['drawn', 'confirmed']).nullable() }),
  ),
  token: z.string().nullable().meta({ description: 'Le code du QR affiché par le formateur ; il change toutes les 30 secondes' }),
  tokenRenewsAt: isoInstant.nullable(),
});

export const sheetListSchema = z.object({
  sheets: z.array(
    z.object({ id: z.string().uuid(), status: z.enum(['open', 'closed']), session: z.string(), date: isoDay, period, startsAt: z.string(), endsAt: z.string(), openedAt: isoInstant, closedAt: isoInstant.nullable(), contentHash: z.string().nullable() }),
  ),
});

export const signatureReceiptSchema = z.object({ sheetId: z.string().uuid(), trainingId: z.string().uuid(), title: z.string(), date: isoDay, period, signedAt: isoInstant });
