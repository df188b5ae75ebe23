import { createHash, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

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
  await trx
    .updateTable('activation_code')
    .set({ voided_at: now })
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .where('voided_at', 'is', null)
    .execute();
  const code = generateActivationCode();
  await trx
    .insertInto('activation_code')
    .values({
      account_id: accountId,
      code_hash: hashActivationCode(code),
      created_at: now,
      expires_at: new Date(now.getTime() + ACTIVATION_CODE_DAYS * 86_400_000),
      used_at: null,
      voided_at: null,
    })
    .execute();
  return code;
}

/** The account's live code matching `code`, if any (unused, not voided, not expired). */
export async function findLiveActivationCode(db: Kysely<DB>, accountId: string, code: string, now: Date) {
  const normalised = normaliseActivationCode(code);
  if (!normalised) return undefined;
  return db
    .selectFrom('activation_code')
    .select('id')
    .where('account_id', '=', accountId)
    .where('code_hash', '=', hashActivationCode(normalised))
    .where('used_at', 'is', null)
    .where('voided_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}
