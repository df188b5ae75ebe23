// Single-use recovery codes for when the TOTP device is lost.
import { createHash, randomInt } from 'node:crypto';

// No 0/O, 1/I: codes are read off paper and typed by hand.
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const GROUPS = 3;
const GROUP_LENGTH = 4;
const CODE_COUNT = 10;

const CHAR = `[${ALPHABET}]`;
const DASHED = new RegExp(`^${CHAR}{${GROUP_LENGTH}}(?:-${CHAR}{${GROUP_LENGTH}}){${GROUPS - 1}}$`);
const COMPACT = new RegExp(`^${CHAR}{${GROUPS * GROUP_LENGTH}}$`);

function randomCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    // randomInt is unbiased (rejection sampling), unlike bytes % 32 tricks.
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

export function generateRecoveryCodes(): string[] {
  const codes = new Set<string>();
  // A collision is astronomically unlikely, but duplicates would silently
  // leave the user with fewer usable codes than printed.
  while (codes.size < CODE_COUNT) codes.add(randomCode());
  return [...codes];
}

// Canonical form "XXXX-XXXX-XXXX", or null if the input cannot be a code.
export function normaliseRecoveryCode(input: string): string | null {
  const value = input.replace(/\s+/g, '').toUpperCase();
  let compact: string;
  if (DASHED.test(value)) compact = value.replace(/-/g, '');
  else if (COMPACT.test(value)) compact = value;
  else return null;
  const groups: string[] = [];
  for (let i = 0; i < compact.length; i += GROUP_LENGTH) {
    groups.push(compact.slice(i, i + GROUP_LENGTH));
  }
  return groups.join('-');
}

export function looksLikeRecoveryCode(input: string): boolean {
  return normaliseRecoveryCode(input) !== null;
}

// A fast hash is acceptable here, unlike for passwords: each code carries
// 12 x 5 = 60 bits of crypto-random entropy, so offline brute force of a
// SHA-256 digest is out of reach, and lookups stay cheap.
// Input is canonicalised first so user-typed variants hash identically; a
// malformed input hashes as-is and simply matches nothing.
export function hashRecoveryCode(code: string): string {
  const canonical = normaliseRecoveryCode(code) ?? code;
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
