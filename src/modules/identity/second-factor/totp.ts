// TOTP (RFC 6238) second factor: SHA1, 6 digits, 30 s, the parameters every
// authenticator app supports. Time is always passed in by the caller so tests
// (and the e2e suite) can move the clock.
import { timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

const ALGORITHM = 'SHA1';
const DIGITS = 6;
const PERIOD_SECONDS = 30;
// ±1 step tolerates phone clock drift and a code typed just before rollover.
const WINDOW = 1;
const SECRET_BYTES = 20; // 160 bits, the RFC 4226 recommended length

export function generateTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

export function totpUri({
  secret,
  label,
  issuer,
}: {
  secret: string;
  label: string;
  issuer: string;
}): string {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secret),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
  }).toString();
}

function codeForStep(secret: Secret, step: number): string {
  return TOTP.generate({
    secret,
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
    timestamp: step * PERIOD_SECONDS * 1000,
  });
}

function stepAt(at: Date): number {
  return Math.floor(at.getTime() / 1000 / PERIOD_SECONDS);
}

export function totpCodeAt(secret: string, at: Date): string {
  return codeForStep(Secret.fromBase32(secret), stepAt(at));
}

export function verifyTotp({
  secret,
  code,
  now,
  lastUsedStep,
}: {
  secret: string;
  code: string;
  now: Date;
  lastUsedStep: number | null;
}): { ok: true; step: number } | { ok: false } {
  // Apps display "123 456"; accept the spaces but nothing else.
  const candidate = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(candidate)) return { ok: false };

  const key = Secret.fromBase32(secret);
  const current = stepAt(now);
  const given = Buffer.from(candidate, 'utf8');
  for (let delta = -WINDOW; delta <= WINDOW; delta++) {
    const step = current + delta;
    // Replay protection: a code (or an older one) that already opened a
    // session must not open another, even within its validity window.
    if (lastUsedStep !== null && step <= lastUsedStep) continue;
    const expected = Buffer.from(codeForStep(key, step), 'utf8');
    if (timingSafeEqual(expected, given)) return { ok: true, step };
  }
  return { ok: false };
}
