// Password policy and password hashing.
//
// Policy (docs/product/security.md#passwords): at least 12 characters, at least 15 for account
// managers and agency administrators, no composition rules (they push users towards predictable
// patterns), refuse passwords found in the bundled common/breached list or judged weak by zxcvbn-ts
// with the French dictionaries. An upper bound of 256 characters keeps hashing and strength
// estimation cost bounded.
import { randomBytes } from 'node:crypto';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { hash, verify, type Algorithm, type Options as Argon2Options } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 12;
export const MIN_PRIVILEGED_PASSWORD_LENGTH = 15;
export const MAX_PASSWORD_LENGTH = 256;
// zxcvbn score 3 = "safely unguessable" (~10^8 guesses): strong enough against
// online guessing combined with rate limiting and argon2id offline.
const MIN_ZXCVBN_SCORE = 3;
// zxcvbn is synchronous and super-linear: a 256-character password blocks the
// event loop for seconds. Only the first 64 characters are scored, which is
// conservative (characters beyond a strong prefix only add strength), and the
// l33t substitution search is capped for the same reason. Worst case measured
// around 300 ms instead of ~4 s.
const ZXCVBN_SCORED_LENGTH = 64;
const ZXCVBN_L33T_MAX_SUBSTITUTIONS = 20;

// Roles whose compromise exposes many accounts, hence a longer minimum.
const PRIVILEGED_ROLES = new Set(['account_manager', 'agency_admin']);

export type PasswordCheck = { ok: true } | { ok: false; message: string };

export function minPasswordLength(roles: string[]): number {
  return roles.some((role) => PRIVILEGED_ROLES.has(role))
    ? MIN_PRIVILEGED_PASSWORD_LENGTH
    : MIN_PASSWORD_LENGTH;
}

// NFC so that "é" typed as one code point or as "e" + combining accent (macOS
// input methods, copy-paste) is the same password for length and for hashing.
function normalise(password: string): string {
  return password.normalize('NFC');
}

function codePointLength(value: string): number {
  return [...value].length;
}

type Zxcvbn = InstanceType<typeof ZxcvbnFactory>;
interface Strength {
  zxcvbn: Zxcvbn;
  commonPasswords: Set<string>;
}
let strength: Promise<Strength> | null = null;

// The dictionaries are decompressed when their packages load, and building the ranked
// dictionaries takes ~100-200 ms more: both happen once, at the first password checked, not
// at every start of the server (docs/decisions/0039).
function getStrength(): Promise<Strength> {
  strength ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-fr')]).then(
    ([{ ZxcvbnFactory }, zxcvbnCommon, zxcvbnFr]) => ({
      zxcvbn: new ZxcvbnFactory({
        dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnFr.dictionary },
        graphs: zxcvbnCommon.adjacencyGraphs,
        translations: zxcvbnFr.translations,
        // Levenshtein matching multiplies check time by ~10 (100-200 ms per
        // password, blocking the event loop); the exact-list check below plus
        // zxcvbn's l33t/reversal matching cover the realistic variants.
        useLevenshteinDistance: false,
        maxLength: ZXCVBN_SCORED_LENGTH,
        l33tMaxSubstitutions: ZXCVBN_L33T_MAX_SUBSTITUTIONS,
      }),
      commonPasswords: new Set(zxcvbnCommon.dictionary['passwords-common'].map((entry) => String(entry).toLowerCase())),
    }),
  );
  return strength;
}

// zxcvbn only matches user inputs as whole tokens, so "jean.dupont@example.fr"
// would not catch "dupont2024": also feed the pieces between separators.
function expandUserInputs(inputs: string[]): string[] {
  const out = new Set<string>();
  for (const raw of inputs) {
    const value = raw.trim().toLowerCase();
    if (value.length === 0) continue;
    out.add(value);
    const local = value.split('@')[0];
    if (local !== value) out.add(local);
    for (const piece of value.split(/[^\p{L}\p{N}]+/u)) {
      if (codePointLength(piece) >= 3) out.add(piece);
    }
  }
  return [...out];
}

export async function checkPassword(
  password: string,
  opts: { minLength: 12 | 15 | number; userInputs?: string[] },
): Promise<PasswordCheck> {
  const value = normalise(password);
  const length = codePointLength(value);
  if (length < opts.minLength) {
    return {
      ok: false,
      message: `Le mot de passe doit contenir au moins ${opts.minLength} caractères.`,
    };
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return {
      ok: false,
      message: `Le mot de passe ne doit pas dépasser ${MAX_PASSWORD_LENGTH} caractères.`,
    };
  }
  const { zxcvbn, commonPasswords } = await getStrength();
  // Explicit and separate from the score so the user is told precisely why.
  if (commonPasswords.has(value.toLowerCase())) {
    return {
      ok: false,
      message:
        'Ce mot de passe figure dans la liste des mots de passe courants ou divulgués : choisissez-en un autre.',
    };
  }
  const result = zxcvbn.check(value, expandUserInputs(opts.userInputs ?? []));
  if (result.score < MIN_ZXCVBN_SCORE) {
    const base =
      'Ce mot de passe est trop facile à deviner : allongez-le, par exemple avec une phrase de plusieurs mots.';
    const warning = result.feedback.warning?.trim();
    if (warning) {
      const sentence = /[.!?]$/.test(warning) ? warning : `${warning}.`;
      return { ok: false, message: `${base} ${sentence}` };
    }
    return { ok: false, message: base };
  }
  return { ok: true };
}

// @node-rs/argon2 declares Algorithm as an ambient `const enum`, which cannot
// be read as a value under isolatedModules (TS2748); the member type still
// checks that 2 is Argon2id.
const ARGON2ID: Algorithm.Argon2id = 2;

// OWASP-recommended argon2id baseline (19 MiB, 2 passes, 1 lane).
const ARGON2_OPTIONS: Argon2Options = {
  algorithm: ARGON2ID,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export async function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalise(password));
  } catch {
    // A malformed or truncated stored hash must read as "wrong password", not
    // as a server error that would reveal something about the account.
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

// Hash of a random, never-disclosed password, computed once with the same
// parameters as real hashes so that verifying against it costs the same.
function getDummyHash(): Promise<string> {
  if (dummyHash === null) {
    dummyHash = hashPassword(randomBytes(32).toString('base64url'));
  }
  return dummyHash;
}

// Call at startup so the first unknown-login attempt is not slower than the
// others (the first call would otherwise pay for the hash too).
export async function primeDummyHash(): Promise<void> {
  await getDummyHash();
}

// For unknown logins: burn the same time as a real verification so response
// times do not reveal whether an account exists. Always false.
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await getDummyHash(), password);
  return false;
}
