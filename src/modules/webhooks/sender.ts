/**
 * One HTTP POST to a checked destination: connects to the address that was checked (the DNS is
 * not asked again), follows no redirect, gives up after 10 s. TLS still verifies the
 * certificate against the URL's host name.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedDestination } from './ssrf.js';

export const SEND_TIMEOUT_MS = 10_000;

export interface SendOutcome {
  /** The HTTP status, or null when no answer came (refused, timeout, TLS). */
  status: number | null;
  durationMs: number;
  error: string | null;
}

function pinnedLookup(dest: CheckedDestination): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: dest.address, family: dest.family }]);
    else callback(null, dest.address, dest.family);
  }) as unknown as LookupFunction;
}

export function send(dest: CheckedDestination, headers: Record<string, string>, body: string, timeoutMs = SEND_TIMEOUT_MS): Promise<SendOutcome> {
  const started = performance.now();
  const client = dest.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, error, durationMs: Math.round(performance.now() - started) });
    };
    const request = client.request(
      dest.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Kairos-Webhooks/1' },
        lookup: pinnedLookup(dest),
        agent: false,
      },
      (response) => {
        // The body is not needed; it is drained (capped by the timeout) so the socket closes.
        response.resume();
        response.on('end', () => finish(response.statusCode ?? null, null));
        response.on('error', () => finish(response.statusCode ?? null, null));
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    request.on('error', (err) => finish(null, err.message.slice(0, 300)));
    request.end(body);
  });
}
