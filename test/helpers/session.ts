import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { ManualClock } from '../../src/clock.js';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/demo/accounts.js';
import { totpCodeAt } from '../../src/modules/identity/second-factor/totp.js';

export interface SignedIn {
  cookie: string;
  csrfToken: string;
  /** Headers for a JSON API call as this user (cookie and CSRF token). */
  headers: Record<string, string>;
}

export function sessionCookieOf(response: LightMyRequestResponse): string {
  const set = response.cookies.find((c) => c.name.endsWith('kairos_session'));
  if (!set) throw new Error(`no session cookie in response ${response.statusCode}: ${response.body}`);
  return `${set.name}=${set.value}`;
}

/**
 * Signs in through the JSON API with a TOTP code of the (manual) clock. The clock moves one
 * TOTP step first, since a code already used by the account is refused (replay protection).
 */
export async function signInAs(
  app: FastifyInstance,
  clock: ManualClock,
  login: string,
  options: { password?: string; secret?: string; ip?: string } = {},
): Promise<SignedIn> {
  clock.advance(30_000);
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    remoteAddress: options.ip ?? '10.0.0.1',
    payload: {
      login,
      password: options.password ?? DEMO_PASSWORD,
      otp: totpCodeAt(options.secret ?? DEMO_TOTP_SECRET, clock.now()),
    },
  });
  if (response.statusCode !== 200) throw new Error(`sign-in of ${login} failed: ${response.statusCode} ${response.body}`);
  const cookie = sessionCookieOf(response);
  const { csrfToken } = response.json() as { csrfToken: string };
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}

export function demoOtp(clock: ManualClock): string {
  return totpCodeAt(DEMO_TOTP_SECRET, clock.now());
}

/** The CSRF token embedded in a page's forms. */
export function csrfFromHtml(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field in page');
  return m[1];
}
