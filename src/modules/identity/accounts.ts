import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** Lower-case ASCII letters only: "Élodie D'Arc-Müller" → "elodiedarcmuller". */
export function asciiSlug(text: string, max = 16): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .slice(0, max);
}

/** A login like `dmartin.4821`: readable, not guessable from the name alone. */
export function proposeLogin(firstName: string, lastName: string): string {
  const base = `${asciiSlug(firstName, 1)}${asciiSlug(lastName, 16)}` || 'compte';
  return `${base}.${randomInt(1000, 10000)}`;
}

export interface NewStaffAccount {
  organisationId: string;
  firstName: string;
  lastName: string;
  email: string;
  phone?: string | null;
  now: Date;
}

/**
 * Creates an inactive staff account with a generated login. Accounts are never deleted (only
 * marked so), so the unique login is never handed out twice.
 */
export async function createPendingStaffAccount(trx: Kysely<DB>, input: NewStaffAccount): Promise<{ id: string; login: string }> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const login = proposeLogin(input.firstName, input.lastName);
    const row = await trx
      .insertInto('account')
      .values({
        login,
        display_name: `${input.firstName} ${input.lastName}`.trim(),
        first_name: input.firstName,
        last_name: input.lastName,
        email: input.email,
        phone: input.phone ?? null,
        organisation_id: input.organisationId,
        kind: 'staff',
        status: 'pending',
        password_hash: null,
        password_changed_at: null,
        totp_secret_sealed: null,
        totp_last_step: null,
        created_at: input.now,
      })
      .onConflict((oc) => oc.column('login').doNothing())
      .returning(['id', 'login'])
      .executeTakeFirst();
    if (row) return row;
  }
  throw new Error('Could not generate a free login');
}
