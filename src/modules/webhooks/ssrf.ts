/**
 * Where a webhook may be sent (docs/decisions/0037-signed-webhooks.md): an `https://` URL whose
 * host resolves only to public addresses. Loopback, private, link-local, CGNAT, multicast,
 * reserved and cloud metadata addresses are refused, in IPv4 and IPv6, including IPv4 hidden
 * in IPv6 (mapped, NAT64, 6to4). The check runs at creation and again at each delivery, which
 * then connects to the very address checked, so a DNS answer changed in between (rebinding)
 * cannot redirect it.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface DestinationPolicy {
  /** WEBHOOK_ALLOW_PRIVATE: any address is accepted (an internal network the operator trusts). */
  allowPrivate: boolean;
  /** Outside production: http://127.0.0.1 and localhost (local development and tests). */
  allowLocalHttp: boolean;
}

export interface CheckedDestination {
  url: URL;
  /** The address to connect to, checked. */
  address: string;
  family: 4 | 6;
}

export class DestinationRefused extends Error {}

const V4_BLOCKED: Array<[string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
  ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];

// [prefix as 8 groups, length]; IPv4-embedding prefixes are handled separately.
const V6_BLOCKED: Array<[string, number]> = [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['fc00::', 7],
  ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Blocked(ip: string): boolean {
  const n = v4ToInt(ip);
  return V4_BLOCKED.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    return Math.floor(n / size) === Math.floor(v4ToInt(base) / size);
  });
}

/** An IPv6 address as its 16 bytes (accepts `::`, an embedded dotted IPv4 tail, a zone id). */
function v6Bytes(ip: string): number[] {
  let text = ip.split('%')[0].toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToInt(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === null ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => {
    const v = parseInt(g || '0', 16);
    return [v >> 8, v & 0xff];
  });
}

function prefixMatches(bytes: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const bit = (b: number[]) => (b[Math.floor(i / 8)] >> (7 - (i % 8))) & 1;
    if (bit(bytes) !== bit(prefix)) return false;
  }
  return true;
}

const v4Of = (b: number[]) => b.join('.');

/** True when `ip` (IPv4 or IPv6 text) must never be a webhook's destination. */
export function isForbiddenAddress(ip: string): boolean {
  const family = isIP(ip.split('%')[0]);
  if (family === 4) return v4Blocked(ip);
  if (family !== 6) return true;
  const b = v6Bytes(ip);
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96): the IPv4 decides.
  if (prefixMatches(b, v6Bytes('::ffff:0:0'), 96) || prefixMatches(b, v6Bytes('64:ff9b::'), 96)) return v4Blocked(v4Of(b.slice(12)));
  if (prefixMatches(b, v6Bytes('::'), 96)) return true;
  // 6to4 (2002::/16) carries an IPv4 in its next 32 bits.
  if (prefixMatches(b, v6Bytes('2002::'), 16)) return v4Blocked(v4Of(b.slice(2, 6)));
  return V6_BLOCKED.some(([prefix, bits]) => prefixMatches(b, v6Bytes(prefix), bits));
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The URL's own shape: absolute, https (or local http outside production), no credentials. Returns a French reason or null. */
export function urlProblem(raw: string, policy: DestinationPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'L’adresse (url) doit être une URL complète, par exemple https://exemple.fr/webhooks.';
  }
  const localHttp = policy.allowLocalHttp && url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !localHttp) return 'L’adresse (url) doit commencer par https:// : les événements ne circulent que chiffrés.';
  if (url.username || url.password) return 'L’adresse (url) ne doit pas contenir d’identifiant ni de mot de passe : authentifiez les envois par leur signature.';
  return null;
}

function addressAllowed(address: string, url: URL, policy: DestinationPolicy): boolean {
  if (policy.allowPrivate || !isForbiddenAddress(address)) return true;
  // Local development: only loopback, only for a URL naming the local host.
  return policy.allowLocalHttp && LOCAL_HOSTS.has(url.hostname) && (address === '::1' || address.startsWith('127.'));
}

type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;
const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Checks the URL and every address its host resolves to (one bad address refuses it all: the
 * connection could land on any of them); returns the first, to connect to.
 */
export async function checkDestination(raw: string, policy: DestinationPolicy, resolve: Resolver = systemResolver): Promise<CheckedDestination> {
  const problem = urlProblem(raw, policy);
  if (problem) throw new DestinationRefused(problem);
  const url = new URL(raw);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new DestinationRefused(`L’adresse (url) ne peut pas être jointe : le nom « ${host} » est introuvable.`);
    }
  }
  if (addresses.length === 0) throw new DestinationRefused(`L’adresse (url) ne peut pas être jointe : le nom « ${host} » est introuvable.`);
  if (!addresses.every((a) => addressAllowed(a.address, url, policy))) {
    throw new DestinationRefused('L’adresse (url) mène à un réseau privé ou réservé (boucle locale, réseau interne, métadonnées) : indiquez une adresse publique.');
  }
  return { url, address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
}
