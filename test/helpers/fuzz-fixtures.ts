/**
 * The world the fuzz tests run in (docs/fuzzing.md): demo actors signed in, mapped to the access
 * rules they satisfy; real resources of each kind (created through the API, as users would) so
 * path parameters reach handlers' deep paths; and the check that a refused call stored nothing.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import Fastify, { type FastifyInstance, type FastifySchema, type LightMyRequestResponse } from 'fastify';
import type { AppContext } from '../../src/context.js';
import { registerRoutes } from '../../src/http/routes.js';
import type { RouteEntry } from '../../src/http/auth.js';
import type { AccessRule } from '../../src/modules/habilitations/policy.js';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { addDays, isoWeekday } from '../../src/modules/quotes/rules/holidays.js';
import { fillPath, formsOf, pathParams, queryString, type PageForm } from './fuzz.js';
import { membershipRequest } from './onboarding.js';
import { validQuote } from './quotes.js';
import type { TestRuntime } from './runtime.js';
import { signInAs, type SignedIn } from './session.js';
import { createTraining } from './trainings.js';

/** The demo account that passes each role's gate (see the README's demo accounts). */
const ROLE_ACTORS: Record<string, Record<string, string>> = {
  kairos: { quote_editor: 'devis.demo', attendance_officer: 'assiduite.demo', advisor: 'conseiller.demo', '*': 'devis.demo' },
  gid: { account_manager: 'rgc.demo', agency_admin: 'admin.agence', '*': 'rgc.demo' },
  support: { agent: 'support.demo', user: 'devis.demo', '*': 'support.demo' },
};

/** Who may call a route: null is anonymous. Several for `anyOf` rules (each side is fuzzed). */
export function allowedActors(rule: AccessRule): Array<string | null> {
  switch (rule.kind) {
    case 'public':
      return [null];
    case 'signedIn':
      return ['devis.demo'];
    case 'candidate':
      return ['candidat.demo'];
    case 'habilitation': {
      const byRole = ROLE_ACTORS[rule.application] ?? {};
      const found = (rule.roles ?? ['*']).map((r) => byRole[r]).find(Boolean);
      if (!found) throw new Error(`no demo actor holds ${rule.application}/${rule.roles?.join('|')}: add one to ROLE_ACTORS`);
      return [found];
    }
    case 'anyOf':
      return [...new Set(rule.rules.flatMap(allowedActors))];
  }
}

/** Random documentation-range addresses for anonymous calls: no one IP reaches a lockout. */
export function randomIp(): string {
  const b = randomBytes(2);
  return `198.51.${b[0]}.${b[1] % 250 + 1}`;
}

export interface FuzzIds {
  ownOrg: string;
  otherOrg: string;
  /** Throwaway staff accounts of the own organisation (the last ones held by the creation guard). */
  users: string[];
  habilitation: string;
  draftQuote: string;
  submittedQuote: string;
  acceptedQuote: string;
  otherOrgQuote: string;
  template: string;
  supportRequest: string;
  membershipRequest: string;
  letter: string;
  managerChange: string;
  alert: string;
  training: string;
  trainingStart: string;
  trainingMonth: string;
  spareSession: string;
  requestId: string;
}

export class FuzzWorld {
  readonly sessions = new Map<string, SignedIn>();
  ids!: FuzzIds;
  constructor(readonly rt: TestRuntime) {}

  async signIn(login: string): Promise<SignedIn> {
    const s = await signInAs(this.rt.app, this.rt.clock, login);
    this.sessions.set(login, s);
    return s;
  }

  headers(login: string | null): Record<string, string> {
    if (!login) return {};
    const s = this.sessions.get(login);
    if (!s) throw new Error(`${login} is not signed in`);
    return s.headers;
  }

  async api(login: string | null, method: string, url: string, payload?: unknown, expected?: number): Promise<LightMyRequestResponse> {
    const res = await this.rt.app.inject({ method: method as 'GET', url, headers: this.headers(login), remoteAddress: login ? '10.0.0.1' : randomIp(), ...(payload === undefined ? {} : { payload: payload as object }) });
    if (expected !== undefined) assert.equal(res.statusCode, expected, `${method} ${url}: ${res.body}`);
    return res;
  }

  /** A session still valid? (the fuzzer may sign an actor out, or end its sessions). */
  async ensureSignedIn(login: string): Promise<boolean> {
    const res = await this.api(login, 'GET', '/api/v1/me');
    if (res.statusCode === 200) return false;
    await this.signIn(login);
    return true;
  }
}

const id = (res: LightMyRequestResponse) => (res.json() as { id: string }).id;

/** Signs in every actor and creates one real resource of each kind the routes take by id. */
export async function createFuzzWorld(rt: TestRuntime): Promise<FuzzWorld> {
  const w = new FuzzWorld(rt);
  for (const login of ['devis.demo', 'assiduite.demo', 'conseiller.demo', 'rgc.demo', 'rgc.demo2', 'admin.agence', 'support.demo', 'candidat.demo']) await w.signIn(login);
  const today = parisDay(rt.clock.now());
  const org = async (name: string) => (await rt.ctx.db.selectFrom('organisation').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const account = async (login: string) => (await rt.ctx.db.selectFrom('account').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;
  const ownOrg = await org('Formapro Démo');
  const otherOrg = await org('Atelier Compétences Démo');

  // Four accounts: the fourth passes the daily creation limit, which raises a security alert.
  const users: string[] = [];
  for (const n of [1, 2, 3, 4]) {
    const res = await w.api('rgc.demo', 'POST', `/api/v1/organisations/${ownOrg}/users`, { lastName: 'Essai', firstName: `Fuzz${'abcd'[n - 1]}`, email: `fuzz${n}@organisme.example` }, 201);
    users.push(id(res));
  }
  const habilitation = id(await w.api('rgc.demo', 'POST', `/api/v1/organisations/${ownOrg}/users/${users[0]}/habilitations`, { application: 'kairos', role: 'quote_editor' }, 201));
  const alert = (await rt.ctx.db.selectFrom('security_alert').select('id').orderBy('at', 'desc').executeTakeFirstOrThrow()).id;

  const draftQuote = id(await w.api('devis.demo', 'POST', '/api/v1/quotes', validQuote(today), 201));
  const submittedQuote = id(await w.api('devis.demo', 'POST', '/api/v1/quotes', validQuote(today, 5), 201));
  await w.api('devis.demo', 'POST', `/api/v1/quotes/${submittedQuote}/submit`, undefined, 200);
  const acceptedQuote = id(await w.api('devis.demo', 'POST', '/api/v1/quotes', validQuote(today, 10), 201));
  await w.api('devis.demo', 'POST', `/api/v1/quotes/${acceptedQuote}/submit`, undefined, 200);
  await w.api('candidat.demo', 'POST', `/api/v1/quotes/${acceptedQuote}/candidate-decision`, { decision: 'accept' }, 200);
  await w.signIn('devis.demo2');
  const otherOrgQuote = id(await w.api('devis.demo2', 'POST', '/api/v1/quotes', validQuote(today), 201));
  const template = id(await w.api('devis.demo', 'POST', '/api/v1/quote-templates', { name: 'Modèle fuzz', quoteId: draftQuote }, 201));

  const supportRequest = id(await w.api('devis.demo', 'POST', '/api/v1/support-requests', { category: 'autre', subject: 'Question fuzz', description: 'Une question posée pour le test.' }, 201));
  const requestId = (await w.api('devis.demo', 'GET', '/api/v1/quotes/00000000-0000-4000-8000-000000000000')).headers['x-request-id'] as string;

  const membership = id(await w.api(null, 'POST', '/api/v1/membership-requests', membershipRequest(), 201));
  // Approving another request gives letters (and an organisation) to address by id.
  const approved = id(await w.api(null, 'POST', '/api/v1/membership-requests', membershipRequest(), 201));
  const { organisationId } = (await w.api('admin.agence', 'POST', `/api/v1/membership-requests/${approved}/approve`, undefined, 200)).json() as { organisationId: string };
  const letters = (await w.api('admin.agence', 'GET', `/api/v1/letters?organisation=${organisationId}`, undefined, 200)).json() as { letters: Array<{ id: string }> };

  // The other organisation asks to change its account manager: approving it never disarms rgc.demo.
  const managerChange = id(
    await w.api('rgc.demo2', 'POST', `/api/v1/organisations/${otherOrg}/account-manager-change`, { newManagerId: await account('devis.demo2'), reason: 'Départ en retraite du responsable actuel.' }, 201),
  );

  // A training under way (started on a Monday three weeks ago), so attendance can be declared.
  let start = addDays(today, -21);
  while (isoWeekday(start) !== 1) start = addDays(start, -1);
  const training = (await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: '1234567A', startDate: start, endDate: addDays(start, 46), session: 'SE_FUZZ', at: rt.clock.now() })).id;

  // A second session of the signed-in editor, for the routes that end a session by id.
  await signInAs(rt.app, rt.clock, 'devis.demo');
  const sessions = (await w.api('devis.demo', 'GET', '/api/v1/me/sessions', undefined, 200)).json() as { sessions: Array<{ id: string; current: boolean }> };
  const spareSession = sessions.sessions.find((s) => !s.current)!.id;

  w.ids = {
    ownOrg,
    otherOrg,
    users,
    habilitation,
    draftQuote,
    submittedQuote,
    acceptedQuote,
    otherOrgQuote,
    template,
    supportRequest,
    membershipRequest: membership,
    letter: letters.letters[0].id,
    managerChange,
    alert,
    training,
    trainingStart: start,
    trainingMonth: start.slice(0, 7),
    spareSession,
    requestId,
  };
  return w;
}

/** Real values for a path parameter: the right kind of resource for the route, by its path. */
export function realValues(ids: FuzzIds, url: string, param: string): string[] {
  switch (param) {
    case 'orgId':
      return [ids.ownOrg, ids.otherOrg];
    case 'userId':
      return ids.users;
    case 'habilitationId':
      return [ids.habilitation];
    case 'identifier':
      return ['1234567A', '7654321B', '1234567a'];
    case 'sessionId':
      return [ids.spareSession];
    case 'requestId':
      return [ids.requestId];
    case 'month':
      return [ids.trainingMonth, '2026-02'];
    case 'slug':
      return ['contacter-assistance'];
    case 'attachmentId':
      return [ids.supportRequest];
  }
  const byPath: Array<[RegExp, string[]]> = [
    [/quote-templates|\/devis\/modeles/, [ids.template]],
    [/\/mon-espace\/devis/, [ids.submittedQuote, ids.acceptedQuote]],
    [/\/conseiller\/devis|\/decision$/, [ids.acceptedQuote, ids.submittedQuote]],
    [/quotes|\/devis/, [ids.draftQuote, ids.submittedQuote, ids.otherOrgQuote]],
    [/support/, [ids.supportRequest]],
    [/membership-requests|adhesions/, [ids.membershipRequest]],
    [/letters|courriers/, [ids.letter]],
    [/account-manager-changes|changements-responsable/, [ids.managerChange]],
    [/security\/alerts|securite\/alertes/, [ids.alert]],
    [/trainings|formations|assiduite/, [ids.training]],
  ];
  for (const [re, values] of byPath) if (re.test(url)) return values;
  return Object.values(ids).flat().filter((v): v is string => typeof v === 'string');
}

/**
 * The Fastify schemas (body, querystring, params) of every route, keyed `METHOD url`. The route
 * table lists routes but not their schemas: the routes are registered a second time, without
 * being served, on an instance that only records them.
 */
export async function routeSchemas(ctx: AppContext): Promise<Map<string, FastifySchema>> {
  const shadow: FastifyInstance = Fastify({ logger: false });
  shadow.decorate('ctx', ctx);
  const out = new Map<string, FastifySchema>();
  shadow.addHook('onRoute', (route) => {
    if (route.schema) for (const m of [route.method].flat()) out.set(`${m} ${route.url}`, route.schema);
  });
  await registerRoutes(shadow);
  await shadow.close();
  return out;
}

// ---------------------------------------------------------------------------------------------
// « Nothing stored on refusal »

/**
 * Tables written on purpose even when a request is refused, or by reading: sessions and their
 * activity, sign-in throttling, error references (kept for support), the read counter of
 * bulk-access detection, settings, and the migration bookkeeping. The audit log is checked apart.
 */
const NOT_BUSINESS = new Set(['session', 'sign_in_throttle', 'request_error', 'candidate_access', 'instance_setting', 'audit_log', 'kysely_migration', 'kysely_migration_lock']);

/** Audit rows a refusal does write, by design: failed sign-ins and activations. */
const AUDITED_REFUSALS = new Set(['sign_in.failed', 'sign_in.throttled', 'activation.failed', 'reauthentication.failed']);

export interface StoredState {
  tables: Record<string, string>;
  lastAuditId: number;
}

/**
 * Row-level triggers (test database only) count every insert, update and delete of each business
 * table: comparing two readings of the counters is one small query per request, and catches a row
 * written then removed as well.
 */
async function installWriteCounters(rt: TestRuntime): Promise<void> {
  const rows = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(rt.ctx.db);
  await sql`create table fuzz_write (name text primary key, n bigint not null)`.execute(rt.ctx.db);
  await sql`
    create function fuzz_count() returns trigger language plpgsql as $$
    begin
      insert into fuzz_write (name, n) values (tg_table_name, 1) on conflict (name) do update set n = fuzz_write.n + 1;
      return null;
    end $$`.execute(rt.ctx.db);
  for (const { name } of rows.rows.filter((r) => !NOT_BUSINESS.has(r.name))) {
    await sql`create trigger ${sql.id(`fuzz_count_${name}`)} after insert or update or delete on ${sql.table(name)} for each row execute function fuzz_count()`.execute(rt.ctx.db);
  }
}

const installed = new WeakSet<TestRuntime>();

/** How many writes each business table has had, and the audit log's last id. */
export async function storedState(rt: TestRuntime): Promise<StoredState> {
  if (!installed.has(rt)) {
    await installWriteCounters(rt);
    installed.add(rt);
  }
  const rows = await sql<{ name: string; n: string }>`select name, n::text as n from fuzz_write union all select '(audit_log)', coalesce(max(id), 0)::text from audit_log`.execute(rt.ctx.db);
  const tables = Object.fromEntries(rows.rows.map((r) => [r.name, r.n]));
  const lastAuditId = Number(tables['(audit_log)']);
  delete tables['(audit_log)'];
  return { tables, lastAuditId };
}

/**
 * Fails naming the tables a refused request changed, and the audit rows it should not have written.
 * `pageShown`: the refusal re-rendered a page with the record (a form with its errors), and that
 * view of personal data is audited like any other (`*.viewed`).
 */
export async function assertNothingStored(rt: TestRuntime, before: StoredState, after: StoredState, what: string, pageShown = false): Promise<void> {
  const changed = Object.keys(after.tables).filter((t) => after.tables[t] !== before.tables[t]);
  // A table written for the first time appears only in `after`.
  assert.deepEqual(changed, [], `${what}: refused, yet changed ${changed.join(', ')}`);
  if (after.lastAuditId === before.lastAuditId) return;
  const rows = await rt.ctx.db.selectFrom('audit_log').select('action').where('id', '>', before.lastAuditId).execute();
  const unexpected = rows.map((r) => r.action).filter((a) => !AUDITED_REFUSALS.has(a) && !(pageShown && a.endsWith('.viewed')));
  assert.deepEqual(unexpected, [], `${what}: refused, yet audited ${unexpected.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Pages: every GET page as each actor it lets through, for its forms and for escaping checks.

export interface CrawledPage {
  route: RouteEntry;
  actor: string | null;
  url: string;
  response: LightMyRequestResponse;
}

export interface CrawledForm extends PageForm {
  actor: string | null;
  page: string;
  /** Anonymous forms: the double-submit CSRF cookie the page set. */
  cookie: string | null;
}

export function pageRoutes(rt: TestRuntime): RouteEntry[] {
  return rt.app.routeTable.filter((r) => r.method === 'GET' && !r.url.startsWith('/api/') && r.url !== '/healthz' && r.url !== '/readyz');
}

/** Every page, with real ids in its path, as every actor it lets through. */
export async function crawlPages(w: FuzzWorld): Promise<{ pages: CrawledPage[]; forms: CrawledForm[] }> {
  const pages: CrawledPage[] = [];
  const forms: CrawledForm[] = [];
  for (const route of pageRoutes(w.rt)) {
    for (const actor of allowedActors(route.access)) {
      for (const url of new Set(pathParams(route.url).length ? realUrls(w.ids, route.url) : [route.url])) {
        const response = await w.rt.app.inject({ method: 'GET', url, headers: w.headers(actor), remoteAddress: actor ? '10.0.0.1' : randomIp() });
        pages.push({ route, actor, url, response });
        if (response.statusCode !== 200 || !String(response.headers['content-type']).startsWith('text/html')) continue;
        const set = response.cookies.find((c) => c.name.endsWith('kairos_csrf'));
        const cookie = !actor && set ? `${set.name}=${set.value}` : null;
        const found = formsOf(response.body, url).map((form) => ({ ...form, actor, page: url, cookie }));
        forms.push(...found);
        // Some forms appear only once a filter is chosen (a session's attendance grid): each GET
        // form is followed once, with the first value it offers for each field.
        for (const f of found.filter((g) => g.method === 'get' && g.fields.size)) {
          const next = f.action.split('?')[0] + queryString([...f.fields].map(([k, v]) => [k, v.find(Boolean) ?? ''] as const));
          const followed = await w.rt.app.inject({ method: 'GET', url: next, headers: w.headers(actor), remoteAddress: actor ? '10.0.0.1' : randomIp() });
          pages.push({ route, actor, url: next, response: followed });
          if (followed.statusCode === 200) forms.push(...formsOf(followed.body, next).filter((g) => g.method === 'post').map((g) => ({ ...g, actor, page: next, cookie })));
        }
      }
    }
  }
  return { pages, forms };
}

/** Each path parameter given each of its real values in turn (at most 3 sets). */
export function realParamSets(ids: FuzzIds, url: string): Array<Record<string, string>> {
  const params = pathParams(url);
  if (!params.length) return [{}];
  const values = params.map((p) => realValues(ids, url, p));
  const longest = Math.min(3, Math.max(...values.map((v) => v.length)));
  return Array.from({ length: longest }, (_, i) => Object.fromEntries(params.map((p, j) => [p, values[j][i % values[j].length]])));
}

/** The route's path with real ids (at most 3 URLs). */
export function realUrls(ids: FuzzIds, url: string): string[] {
  return realParamSets(ids, url).map((p) => fillPath(url, p));
}
