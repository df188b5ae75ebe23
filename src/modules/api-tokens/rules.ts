/**
 * Pure rules of organisation API tokens (decision 0038): the roles a token may carry, the shape
 * of its secret, its lifetime and its address allowlist. No database, no clock of their own.
 */
import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/** Kairos roles an organisation may give a token: never an agency role, never a GID one. */
export const TOKEN_ROLES = ['quote_editor', 'attendance_officer', 'reader'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export const TOKEN_PREFIX = 'krs_';
/** 32 random bytes (256 bits) in base64url: 43 characters after the prefix. */
export const SECRET_BYTES = 32;
const TOKEN_SHAPE = /^krs_[A-Za-z0-9_-]{43}$/;
export const MAX_LIFETIME_MS = 366 * 86_400_000; // one year ahead, a leap day included
export const REMINDER_BEFORE_MS = 14 * 86_400_000;
/** lastUsedAt/lastUsedIp are rewritten at most this often for the same address. */
export const LAST_USE_GRANULARITY_MS = 60_000;

export function looksLikeToken(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

/**
 * The secret carries 256 random bits, so a fast hash is enough: nobody can try enough guesses
 * for a slow hash (bcrypt, scrypt) to matter, and every API call must check it.
 */
export function hashSecret(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** An IPv4 seen through an IPv6 socket (`::ffff:192.0.2.1`) is that IPv4. */
export function normaliseIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1] : ip;
}

/** `value` is an address (`192.0.2.7`, `2001:db8::1`) or a CIDR range (`192.0.2.0/24`, `2001:db8::/32`). */
export function parseAllowedIp(value: string): { address: string; prefix: number | null; family: 'ipv4' | 'ipv6' } | null {
  const [address, prefixText, extra] = value.trim().split('/');
  if (extra !== undefined) return null;
  const version = isIP(address);
  if (version === 0) return null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) return { address, prefix: null, family };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > (version === 4 ? 32 : 128)) return null;
  return { address, prefix, family };
}

/** Whether `ip` may use a token whose allowlist is `allowed` (empty: any address). */
export function ipAllowed(allowed: readonly string[], ip: string | null): boolean {
  if (allowed.length === 0) return true;
  if (!ip) return false;
  const address = normaliseIp(ip);
  const version = isIP(address);
  if (version === 0) return false;
  const list = new BlockList();
  for (const entry of allowed) {
    const parsed = parseAllowedIp(entry);
    if (!parsed) continue;
    if (parsed.prefix === null) list.addAddress(parsed.address, parsed.family);
    else list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

export type TokenState = 'active' | 'expired' | 'revoked';

export function tokenState(t: { expiresAt: Date; revokedAt: Date | null }, now: Date): TokenState {
  if (t.revokedAt) return 'revoked';
  return t.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}
