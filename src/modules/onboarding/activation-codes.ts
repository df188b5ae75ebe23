import { createHash, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { findLiveCode, insertCode, voidLiveCodes } from './activation-repository.js';

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const ACTIVATION_CODE_DAYS = 30;

/** 12 characters from an unambiguous alphabet (60 bits), grouped by four for reading aloud. */
export function generateActivationCode(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

export function normaliseActivationCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (!/^[2-9A-HJ-NP-Z]{12}$/.test(compact)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
}

/** SHA-256 is enough here: 60 random bits, 30-day expiry, throttled attempts. */
export function hashActivationCode(code: string): string {
  return createHash('sha256').update(normaliseActivationCode(code) ?? code).digest('hex');
}

/** Issues a new code for the account and voids any previous one (a regenerated letter). */
export async function issueActivationCode(trx: Kysely<DB>, accountId: string, now: Date): Promise<string> {
  await voidLiveCodes(trx, accountId, now);
  const code = generateActivationCode();
  await insertCode(trx, accountId, hashActivationCode(code), now, new Date(now.getTime() + ACTIVATION_CODE_DAYS * 86_400_000));
  return code;
}

/** The account's live code matching `code`, if any (unused, not voided, not expired). */
export async function findLiveActivationCode(db: Kysely<DB>, accountId: string, code: string, now: Date) {
  const normalised = normaliseActivationCode(code);
  if (!normalised) return undefined;
  return findLiveCode(db, accountId, now, hashActivationCode(normalised));
}
