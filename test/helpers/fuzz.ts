/**
 * Fuzzing helpers (docs/fuzzing.md): hostile values, near-valid values generated from a zod
 * schema, and their encodings (JSON with raw number literals, query strings, path segments,
 * form bodies). CI runs a fixed seed; FUZZ_SEED / FUZZ_RUNS / FUZZ_SHRINK give a longer local run.
 */
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------
// Run parameters

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261126);
/** Runs per route (each run is one request); the CI value keeps each fuzz file near a minute. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 8);

/** Each route gets its own seed, so adding a route does not change what the others receive. */
export function fuzzParameters(label: string, runs = FUZZ_RUNS): fc.Parameters<unknown> {
  let h = FUZZ_SEED | 0;
  for (let i = 0; i < label.length; i++) h = (Math.imul(h, 31) + label.charCodeAt(i)) | 0;
  // Shrinking replays requests against a database the failing run already changed: slow and
  // rarely simpler. The counterexample is printed whole anyway; FUZZ_SHRINK=1 turns it back on.
  return { seed: h, numRuns: runs, endOnFailure: process.env.FUZZ_SHRINK !== '1' };
}

/** A value of `arb` once in `oneIn` draws, null otherwise (fc.option's `freq` is the other way round). */
export function rarely<T>(arb: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

// ---------------------------------------------------------------------------------------------
// Markers: a reflected marker found raw in an HTML page means input reached it unescaped.

let markerSeq = 0;
/** `<kairos-xss-N>` and friends: escaped, they read `&lt;kairos-xss…`; raw, they are markup. */
export function htmlMarkers(): string[] {
  const n = ++markerSeq;
  return [`<kairos-xss-${n}>`, `"'><svg/onload=kairosXss(${n})>`, `</textarea><kairos-xss-${n}>`, `" autofocus onfocus="kairosXss(${n})`];
}
/** What must never appear in an HTML body: markup or an attribute our markers would create. */
export const RAW_MARKER = /<kairos-xss-\d+>|<svg\/onload=kairosXss|" autofocus onfocus="kairosXss/;

// ---------------------------------------------------------------------------------------------
// Hostile values

/** A JSON literal sent as is (numbers JSON.stringify would rewrite: 1e309, -0, 2^53+1). */
export class RawJson {
  constructor(readonly text: string) {}
}

const FIXED_STRINGS = [
  '',
  '   ',
  "' OR '1'='1",
  "'; DROP TABLE account; --",
  '" OR ""="',
  "\\'; select pg_sleep(0); --",
  '%_\\',
  '$1',
  '\u0007\b\f\u000b\u001b[31m',
  '\r\n\r\nSet-Cookie: kairos=fuzz',
  '\u2028\u2029',
  '\u202Eevil\u202C',
  '\u200B\uFEFF',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '１２３',
  '١٢٣',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9007199254740993',
  '0x1F',
  ' 12 ',
  '2026-02-30',
  '0000-00-00',
  '9999-12-31',
  '2026-13-01',
  '31/12/2026',
  '2026-09-14T25:61:00Z',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '../../../../etc/passwd',
  '%2e%2e%2f',
  '//evil.example/x',
  'https://evil.example/',
  'javascript:alert(1)',
  '\\\\evil\\share',
  '__proto__',
  'constructor',
  'toString',
  '%s%n%x{0}${7*7}{{7*7}}',
  '=HYPERLINK("http://evil.example")',
  '+cmd|\' /C calc\'!A0',
  'a@b',
  'x@exemple.fr\r\nBcc: victime@exemple.fr',
  '&lt;&amp;&#x3C;',
];

/** What databases and encoders choke on: NUL, unpaired surrogates, a pair split by truncation. */
const STORAGE_HAZARDS = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'a\uDFFFb',
  '\uD83D',
  '\u0000\uD800',
  // An emoji across a usual length limit: cutting the string there leaves half a surrogate pair.
  ...[20, 40, 50, 100, 150, 200, 254, 300, 500, 1000, 2000, 5000].map((n) => `${'a'.repeat(n - 1)}\uD83D\uDE00`),
];

const LONG_STRINGS = ['x'.repeat(10_001), 'é'.repeat(70_000), '<'.repeat(5_000), 'A'.repeat(300_000)];

/** Strings meant to break parsers, queries, pages and mails. */
export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...FIXED_STRINGS) },
    { weight: 2, arbitrary: fc.constantFrom(...STORAGE_HAZARDS) },
    { weight: 4, arbitrary: markerString() },
    { weight: 1, arbitrary: fc.constantFrom(...LONG_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...FIXED_STRINGS, ...STORAGE_HAZARDS)).map(([a, b]) => a + b) },
  );
}

/** A fresh HTML marker per draw (so a reflection can be traced to its request). */
export function markerString(): fc.Arbitrary<string> {
  return fc.integer({ min: 0, max: 3 }).map((i) => htmlMarkers()[i]);
}

const NUMBER_LITERALS = ['1e309', '-1e309', '-0', '9007199254740993', '1e-400', '4.9e-324', '123456789012345678901234567890', '2147483648', '-2147483649', '1.5', '-1', '0', '1e21', '0.1'];

export function hostileNumber(): fc.Arbitrary<RawJson | number> {
  return fc.oneof(fc.constantFrom(...NUMBER_LITERALS).map((t) => new RawJson(t)), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
}

/** JSON nested `depth` levels (past the parser's limit of 32 when depth is larger). */
export function nested(depth: number, kind: 'array' | 'object' = 'array'): RawJson {
  return new RawJson(kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

/** Any hostile JSON value: strings, numbers, wrong types, deep nesting. */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: hostileString() },
    { weight: 3, arbitrary: hostileNumber() },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [''], { '': '' }, 0) },
    { weight: 1, arbitrary: fc.constantFrom(nested(20), nested(40), nested(40, 'object')) },
    { weight: 1, arbitrary: fc.array(hostileString(), { maxLength: 3 }) },
  );
}

/** A hostile object: known field names (if any) and hostile ones, with hostile values. */
export function hostileObject(fields: readonly string[] = []): fc.Arbitrary<Record<string, unknown>> {
  const key = fields.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: hostileString() }) : hostileString();
  return fc.dictionary(key, hostileValue(), { maxKeys: 6 });
}

// ---------------------------------------------------------------------------------------------
// Near-valid values from a zod 4 schema: the structure of the schema (or of a valid example),
// with leaves now and then replaced by hostile values, fields dropped or unknown ones added.

interface ZodLike {
  _zod: { def: ZodDef };
}
interface ZodDef {
  type: string;
  [key: string]: unknown;
}
interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

export interface FromZodOptions {
  /** A valid value: its leaves are preferred to generated ones (dates, codes, identifiers). */
  example?: unknown;
  /** Weight of a hostile leaf against 4 to 7 for a valid one (0: structurally valid values only). */
  hostility?: number;
}

const defOf = (s: unknown): ZodDef => (s as ZodLike)._zod.def;
const checksOf = (def: ZodDef): CheckDef[] => ((def.checks as ZodLike[] | undefined) ?? []).map((c) => c._zod.def as unknown as CheckDef);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RawJson);

const FORMAT_SAMPLES: Record<string, fc.Arbitrary<string>> = {
  email: fc.constantFrom('prenom.nom@exemple.fr', 'a.b@organisme.example'),
  uuid: fc.uuid(),
  guid: fc.uuid(),
  date: fc.constantFrom('2026-09-14', '2027-01-04'),
  datetime: fc.constant('2026-09-14T09:00:00Z'),
  time: fc.constant('09:00'),
  url: fc.constant('https://exemple.fr/'),
};

function validString(def: ZodDef): fc.Arbitrary<string> {
  const checks = checksOf(def);
  const format = (def.format as string | undefined) ?? checks.find((c) => c.check === 'string_format' && c.format !== 'regex')?.format;
  if (format && FORMAT_SAMPLES[format]) return FORMAT_SAMPLES[format];
  const pattern = (def.format === 'regex' ? (def.pattern as RegExp) : undefined) ?? checks.find((c) => c.format === 'regex')?.pattern;
  if (pattern) {
    try {
      return fc.stringMatching(pattern, { size: 'xsmall' });
    } catch {
      // Unicode property classes and the like: plain letters satisfy most of our patterns.
    }
  }
  const min = Math.max(0, ...checks.filter((c) => c.check === 'min_length').map((c) => c.minimum ?? 0));
  const max = Math.min(64, ...checks.filter((c) => c.check === 'max_length').map((c) => c.maximum ?? 64));
  return fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzéè ABC'), minLength: Math.min(min, max), maxLength: Math.max(min, max) });
}

function validNumber(def: ZodDef): fc.Arbitrary<number> {
  const checks = checksOf(def);
  const integer = checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? '')) || def.format === 'safeint';
  const min = Math.max(-1_000_000, ...checks.filter((c) => c.check === 'greater_than').map((c) => Number(c.value)));
  const max = Math.min(1_000_000, ...checks.filter((c) => c.check === 'less_than').map((c) => Number(c.value)));
  const lo = Math.min(min, max);
  return integer ? fc.integer({ min: Math.ceil(lo), max: Math.floor(Math.max(min, max)) }) : fc.double({ min: lo, max: Math.max(min, max), noNaN: true });
}

function walk(schema: unknown, example: unknown, opts: Required<Pick<FromZodOptions, 'hostility'>>, depth: number): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const inner = (s: unknown, ex: unknown = example) => walk(s, ex, opts, depth + 1);
  const mixed = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => {
    // A valid example's leaf is worth more than a generated one: it satisfies every refinement.
    const known = example !== undefined && !isPlainObject(example) && !Array.isArray(example);
    const arbs: fc.WeightedArbitrary<unknown>[] = [{ weight: known ? 1 : 4, arbitrary: valid }];
    if (known) arbs.push({ weight: 6, arbitrary: fc.constant(example) });
    if (opts.hostility > 0) arbs.push({ weight: opts.hostility, arbitrary: hostileValue() });
    return fc.oneof(...arbs);
  };
  if (depth > 12) return fc.constant(example ?? null);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const ex = isPlainObject(example) ? example : {};
      const fields = Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, inner(s, ex[k])]));
      const keys = Object.keys(shape);
      const drop = keys.length && opts.hostility > 0 ? rarely(fc.constantFrom(...keys), 6) : fc.constant(null);
      const extra = opts.hostility > 0 ? rarely(fc.tuple(hostileString(), hostileValue()), 8) : fc.constant(null);
      // Mostly every field (so validation goes deep); now and then one missing or one unknown.
      const whole = fc.tuple(fc.record(fields), drop, extra).map(([value, dropped, added]) => {
        const out: Record<string, unknown> = { ...value };
        if (dropped !== null) delete out[dropped];
        if (added) out[added[0]] = added[1];
        return out;
      });
      return opts.hostility > 0 ? fc.oneof({ weight: 8, arbitrary: whole }, { weight: 1, arbitrary: hostileValue() }) : whole;
    }
    case 'optional':
      return fc.oneof({ weight: 3, arbitrary: inner(def.innerType) }, { weight: 1, arbitrary: fc.constant(undefined) });
    case 'nullable':
      return fc.oneof({ weight: example === null ? 1 : 3, arbitrary: inner(def.innerType, example ?? undefined) }, { weight: example === null ? 3 : 1, arbitrary: fc.constant(null) });
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
    case 'success':
      return inner(def.innerType);
    case 'lazy':
      return inner((def.getter as () => unknown)());
    case 'pipe': {
      // `.pipe(z.email())` is best generated from its target; a transform, from what goes in.
      return inner(defOf(def.out).type === 'transform' ? def.in : def.out);
    }
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map((o) => inner(o)));
    case 'intersection':
      return fc.tuple(inner(def.left), inner(def.right)).map(([a, b]) => (isPlainObject(a) && isPlainObject(b) ? { ...a, ...b } : a));
    case 'array': {
      const checks = checksOf(def);
      const maxLength = Math.min(4, ...checks.filter((c) => c.check === 'max_length').map((c) => c.maximum ?? 4));
      const minLength = Math.min(maxLength, Math.max(0, ...checks.filter((c) => c.check === 'min_length').map((c) => c.minimum ?? 0)));
      const exItems = Array.isArray(example) ? example : [];
      const items = exItems.length ? fc.constantFrom(...exItems).chain((ex) => inner(def.element, ex)) : inner(def.element, undefined);
      return mixed(fc.array(items, { minLength, maxLength }));
    }
    case 'tuple':
      return mixed(fc.tuple(...(def.items as unknown[]).map((s, i) => inner(s, Array.isArray(example) ? example[i] : undefined))));
    case 'record':
      return mixed(fc.dictionary(fc.string({ maxLength: 10 }), inner(def.valueType, undefined), { maxKeys: 3 }));
    case 'enum':
      return mixed(fc.constantFrom(...Object.values(def.entries as Record<string, string | number>)));
    case 'literal':
      return mixed(fc.constantFrom(...(def.values as unknown[])));
    case 'string':
      return mixed(validString(def));
    case 'number':
      return mixed(validNumber(def));
    case 'int':
      return mixed(fc.integer());
    case 'boolean':
      return mixed(fc.boolean());
    case 'null':
      return mixed(fc.constant(null));
    case 'date':
      return mixed(fc.constant('2026-09-14'));
    default:
      // any, unknown, custom, transform, bigint…: the example when there is one.
      return mixed(example !== undefined ? fc.constant(example) : fc.constant(null));
  }
}

/** The schema of the value at `path` inside `schema`, through wrappers, objects, arrays, unions. */
export function schemaAt(schema: unknown, path: ReadonlyArray<string | number>): unknown {
  let s: unknown = schema;
  for (let i = 0; i <= path.length && s; ) {
    const def = defOf(s);
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional', 'success'].includes(def.type)) s = def.innerType;
    else if (def.type === 'pipe') s = defOf(def.out).type === 'transform' ? def.in : def.out;
    else if (def.type === 'lazy') s = (def.getter as () => unknown)();
    else if (i === path.length) return s;
    else if (def.type === 'object') s = (def.shape as Record<string, unknown>)[path[i++]];
    else if (def.type === 'array') (s = def.element), i++;
    else if (def.type === 'tuple') s = (def.items as unknown[])[Number(path[i++])];
    else if (def.type === 'union') return (def.options as unknown[]).map((o) => schemaAt(o, path.slice(i))).find((found) => found !== undefined);
    else return undefined;
  }
  return s;
}

/** Every path of `value` (containers and leaves), for mutations. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = prefix.length ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

const REMOVE = Symbol('remove');

function withValueAt(root: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
  const [head, ...rest] = path;
  const next = withValueAt(copy[head], rest, value);
  if (next === REMOVE) {
    if (Array.isArray(copy)) copy.splice(Number(head), 1);
    else delete copy[head];
  } else copy[head] = next;
  return copy;
}

/** The example with one or two of its values replaced: hostile, regenerated from the schema, or removed. */
function mutatedExample(schema: unknown, example: unknown, hostility: number): fc.Arbitrary<unknown> {
  const paths = pathsOf(example);
  if (!paths.length) return fc.constant(example);
  const mutation = fc.constantFrom(...paths).chain((path) => {
    const at = schemaAt(schema, path);
    const options: fc.WeightedArbitrary<unknown>[] = [{ weight: 1, arbitrary: fc.constant(REMOVE) }];
    if (at) options.push({ weight: 2, arbitrary: walk(at, undefined, { hostility: 0 }, 0) });
    if (hostility > 0) options.push({ weight: 2 * hostility, arbitrary: hostileValue() });
    return fc.tuple(fc.constant(path), fc.oneof(...options));
  });
  return fc.array(mutation, { minLength: 0, maxLength: 2 }).map((ms) => ms.reduce<unknown>((acc, [path, v]) => withValueAt(acc, path, v), example));
}

/**
 * Near-valid values of `schema` (zod 4), hostile at some leaves unless `hostility` is 0. With an
 * example, most values are that example with a leaf or two mutated, so validation goes deep.
 */
export function arbitraryFromZod(schema: unknown, options: FromZodOptions = {}): fc.Arbitrary<unknown> {
  const hostility = options.hostility ?? 1;
  const generated = walk(schema, options.example, { hostility }, 0);
  if (options.example === undefined) return generated;
  return fc.oneof({ weight: 3, arbitrary: mutatedExample(schema, options.example, hostility) }, { weight: 1, arbitrary: generated });
}

// ---------------------------------------------------------------------------------------------
// Encodings

/** JSON text, with RawJson values written as they are (and `undefined` fields left out). */
export function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `@@kairos-raw-${raws.length - 1}@@`;
    }
    return v;
  });
  return (text ?? '').replace(/"@@kairos-raw-(\d+)@@"/g, (_m, i) => raws[Number(i)]);
}

/** encodeURIComponent that also carries lone surrogates, as the bytes of a broken UTF-8 sequence. */
export function encodePart(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value
      .split(/([\uD800-\uDFFF])/)
      .map((part) => (/^[\uD800-\uDFFF]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
      .join('');
  }
}

/** Raw, badly encoded fragments that no encoder produces but clients can send. */
export const BROKEN_ENCODINGS = ['%', '%zz', '%FF', '%C3%28', '%E0%A4%A', '%00', '%u0041', '%25%32%35'];

export function stringForUrl(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (typeof value === 'string') return value;
  return jsonText(value);
}

/** A query string from pairs (values may be arrays: repeated keys). */
export function queryString(pairs: ReadonlyArray<readonly [string, unknown]>, broken: string | null = null): string {
  const parts: string[] = [];
  for (const [k, v] of pairs) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) parts.push(`${encodePart(k)}=${encodePart(stringForUrl(one))}`);
  }
  if (broken) parts.push(`q${broken}=${broken}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** An urlencoded form body (repeated names for arrays). */
export function formBody(fields: ReadonlyArray<readonly [string, string | string[]]>): string {
  return fields.flatMap(([k, v]) => [v].flat().map((one) => `${encodePart(k)}=${encodePart(one)}`)).join('&');
}

/** Path parameter values: hostile strings as clients could put them in a URL segment. */
export function hostileSegment(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: hostileString().filter((s) => s.length > 0 && s.length < 5_000).map(encodePart) },
    { weight: 1, arbitrary: fc.constantFrom(...BROKEN_ENCODINGS, '..', '.', '%2F', 'a'.repeat(201), '1234567a', '00000000-0000-4000-8000-000000000000') },
  );
}

/** `/api/v1/x/:id/y` with each `:param` replaced (values already encoded). */
export function fillPath(url: string, params: Record<string, string>): string {
  return url.replace(/:([A-Za-z]+)/g, (_m, name: string) => params[name] ?? 'x');
}

export function pathParams(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
}

// ---------------------------------------------------------------------------------------------
// Raw bodies: what a JSON parser must survive.

export interface RawBody {
  name: string;
  payload: string | Buffer;
  contentType: string;
  /** False when a body parser refuses it before any handler runs (on JSON routes). */
  reachesHandler: boolean;
}

export function rawHostileBodies(): RawBody[] {
  const json = 'application/json';
  const parser = (name: string, payload: string | Buffer, contentType = json): RawBody => ({ name, payload, contentType, reachesHandler: false });
  const handler = (name: string, payload: string): RawBody => ({ name, payload, contentType: json, reachesHandler: true });
  return [
    parser('invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])),
    parser('raw NUL byte', Buffer.from('{"a":1}\u0000')),
    parser('deep nesting 10 000', '['.repeat(10_000) + ']'.repeat(10_000)),
    parser('deep object nesting 10 000', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)),
    parser('2 MB string', `{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`),
    parser('__proto__ key', '{"__proto__":{"isAdmin":true}}'),
    parser('constructor.prototype', '{"constructor":{"prototype":{"isAdmin":true}}}'),
    parser('not JSON', "{'a': 1,}"),
    parser('text/plain', '{}', 'text/plain'),
    parser('form urlencoded', 'a=1&b=%FF', 'application/x-www-form-urlencoded'),
    parser('multipart without boundary', '--x\r\n', 'multipart/form-data'),
    parser('XML entity', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', 'application/xml'),
    handler('escaped NUL', '{"a":"\\u0000","b\\u0000":"x"}'),
    handler('huge numbers', '{"a":1e309,"b":-0,"c":9007199254740993,"d":-1e309,"e":1e-400}'),
    handler('JSON scalar', '"texte"'),
    handler('JSON null', 'null'),
    handler('JSON array', '[1,2,3]'),
    handler('empty body', ''),
    handler('BOM then JSON', '\uFEFF{}'),
    { name: 'charset latin1', payload: '{"a":"\u00e9"}', contentType: 'application/json; charset=latin1', reachesHandler: true },
  ];
}

// ---------------------------------------------------------------------------------------------
// HTML forms, as a browser would read them from a page.

export interface PageForm {
  method: 'get' | 'post';
  /** The action as written in the page (entities decoded), or the page's own URL. */
  action: string;
  multipart: boolean;
  /** Each field's name with the values the page offers (input value, options, radio choices). */
  fields: Map<string, string[]>;
  /** What a browser sends as the page stands (selected option, checked box; unchecked: absent). */
  defaults: Array<[string, string]>;
  /** File inputs (multipart forms). */
  files: string[];
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()]!;
  });
}

const attr = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}(?:="([^"]*)"|='([^']*)'|(?=[\\s>/]))`, 'i').exec(tag);
  return m ? decodeEntities(m[1] ?? m[2] ?? '') : null;
};

/** The forms of an HTML page, their fields and the values offered for each. */
export function formsOf(html: string, pageUrl: string): PageForm[] {
  const out: PageForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, open, inner] = m;
    const fields = new Map<string, string[]>();
    const defaults: Array<[string, string]> = [];
    const files: string[] = [];
    const offer = (name: string | null, value: string, sent: boolean) => {
      if (!name) return;
      const list = fields.get(name) ?? [];
      if (!list.includes(value)) list.push(value);
      fields.set(name, list);
      if (sent) defaults.push([name, value]);
    };
    for (const [tag] of inner.matchAll(/<input\b[^>]*>/gi)) {
      const type = (attr(tag, 'type') ?? 'text').toLowerCase();
      const choice = type === 'checkbox' || type === 'radio';
      if (type === 'file') files.push(attr(tag, 'name') ?? 'fichier');
      else if (type !== 'submit' || attr(tag, 'name')) offer(attr(tag, 'name'), attr(tag, 'value') ?? (choice ? 'on' : ''), !choice || attr(tag, 'checked') !== null);
    }
    for (const s of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const options = [...s[2].matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)].map((o) => ({ value: attr(o[0], 'value') ?? decodeEntities(o[2]), selected: attr(`<x${o[1]}>`, 'selected') !== null }));
      const sent = options.find((o) => o.selected) ?? options[0];
      for (const o of options.length ? options : [{ value: '', selected: false }]) offer(attr(`<x${s[1]}>`, 'name'), o.value, o === sent);
    }
    for (const t of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) offer(attr(`<x${t[1]}>`, 'name'), decodeEntities(t[2].replace(/^\n/, '')), true);
    // Submit buttons: the first one is the one pressed by default.
    let pressed = false;
    for (const [tag] of inner.matchAll(/<button\b[^>]*>/gi)) {
      if (!attr(tag, 'name')) continue;
      offer(attr(tag, 'name'), attr(tag, 'value') ?? '', !pressed);
      pressed = true;
    }
    const tag = `<form${open}>`;
    const form: PageForm = {
      method: (attr(tag, 'method') ?? 'get').toLowerCase() === 'post' ? 'post' : 'get',
      action: attr(tag, 'action') || pageUrl,
      multipart: /multipart\/form-data/i.test(attr(tag, 'enctype') ?? ''),
      fields,
      defaults,
      files,
    };
    out.push(form);
    // htmx requests (a live preview) send the same fields elsewhere.
    for (const hx of `${open}${inner}`.matchAll(/\shx-post="([^"]*)"/g)) out.push({ ...form, method: 'post', action: decodeEntities(hx[1]) });
  }
  return out;
}

let boundarySeq = 0;

/** A multipart/form-data body (text fields and files), as browsers send it. */
export function multipartBody(fields: ReadonlyArray<readonly [string, string | string[]]>, files: ReadonlyArray<{ field: string; name: string; type: string; content: Buffer }>) {
  const boundary = `----kairosfuzz${++boundarySeq}`;
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    for (const v of [value].flat()) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/"/g, '%22')}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name.replace(/"/g, '%22')}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Files a hostile user uploads: HTML named .png, SVG with script, empty, truncated image, hostile names. */
export function hostileFile(): fc.Arbitrary<{ name: string; type: string; content: Buffer }> {
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  return fc.record({
    name: fc.oneof(fc.constantFrom('capture.png', 'capture.html', '../../etc/passwd', 'a"b.png', 'x'.repeat(300) + '.png', ''), hostileString()),
    type: fc.constantFrom('image/png', 'text/html', 'image/svg+xml', 'application/octet-stream', ''),
    content: fc.constantFrom(png, Buffer.from('<html><script>alert(1)</script></html>'), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), Buffer.alloc(0), Buffer.from([0xff, 0xd8, 0xff])),
  });
}
