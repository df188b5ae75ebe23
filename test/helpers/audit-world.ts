/**
 * The world the audit-completeness test runs in: the demo actors with their
 * sessions, and builders that put an object in the state an operation needs (a submitted quote,
 * an entered training, a pending account with its activation code…). Every builder goes through
 * the public API as its user would, except what has no API of its own (a past training record, a
 * security alert, a candidate account without a second factor), written as fixtures.ts does.
 */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { DEMO_PASSWORD } from '../../src/demo/accounts.js';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { addDays, isoWeekday } from '../../src/modules/quotes/rules/holidays.js';
import { totpCodeAt } from '../../src/modules/identity/second-factor/totp.js';
import { tinyPng } from '../../src/modules/support/requests/test-images.js';
import { accountIdByLogin, apiCall, approvedMembership, expectJson, organisationIdByName, pendingMembershipRequest, securityAlert, spareSession, staffUser } from './fixtures.js';
import { validQuote } from './quotes.js';
import type { TestRuntime } from './runtime.js';
import { csrfFromHtml, signInAs, type SignedIn } from './session.js';
import { createTraining } from './trainings.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Fields = Record<string, string>;

/** Passwords the test gives: long passphrases that pass the policy for every role. */
export const NEW_PASSWORD = (n: number) => `Phrase de passe Kairos pour l’audit numéro ${n} !`;
const ACTIVATION_CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;
const comma = (n: number) => String(n).replace('.', ',');

/** The quote editor form's fields for a quote of validQuote's shape (see quote-pages.test.ts). */
export function quoteForm(q: ReturnType<typeof validQuote>, action = 'enregistrer'): Fields {
  const t = q.training;
  const f: Fields = {
    action,
    type: q.type,
    'candidate.identifier': q.candidate.identifier,
    'candidate.lastName': q.candidate.lastName,
    'candidate.birthDate': q.candidate.birthDate,
    'training.title': t.title,
    'training.carifOrefSession': t.carifOrefSession,
    'training.formacode': t.formacode,
    'training.certification': t.certification ?? '',
    'training.startDate': t.startDate,
    'training.endDate': t.endDate,
    'training.centreHours': comma(t.centreHours),
    'training.companyHours': comma(t.companyHours),
    'training.place': t.place ?? '',
    'costs.hourlyRate': comma(q.costs.hourlyRate),
    'costs.pedagogicalCost': comma(q.costs.pedagogicalCost),
  };
  t.schedule.forEach((r, i) => Object.assign(f, { [`training.schedule.${i}.weekday`]: String(r.weekday), [`training.schedule.${i}.from`]: r.from, [`training.schedule.${i}.to`]: r.to }));
  q.costs.otherLines.forEach((l, i) => Object.assign(f, { [`costs.otherLines.${i}.label`]: l.label, [`costs.otherLines.${i}.amount`]: comma(l.amount) }));
  return f;
}

/** A multipart body as a browser builds it, and its content type. */
export async function multipart(fields: Fields, files: Array<{ field: string; name: string; type: string; data: Uint8Array }> = []) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(f.field, new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

export const screenshot = () => ({ field: 'screenshots', name: 'capture.png', type: 'image/png', data: new Uint8Array(tinyPng()) });

export class AuditWorld {
  private readonly sessions = new Map<string, SignedIn>();
  /** Passwords and TOTP secrets of accounts that no longer use the demo ones. */
  readonly passwords = new Map<string, string>();
  readonly secrets = new Map<string, string>();
  private anonymousForm: { cookie: string; token: string } | null = null;
  private counter = 0;
  private readonly quoteSlots = { A: 0, B: 0 };
  private templateSource: string | null = null;
  orgA = '';
  orgB = '';

  constructor(readonly rt: TestRuntime) {}

  async init(): Promise<this> {
    this.orgA = await organisationIdByName(this.rt, 'Formapro Démo');
    this.orgB = await organisationIdByName(this.rt, 'Atelier Compétences Démo');
    return this;
  }

  /** A number never used before in this run (names, identifiers, sessions). */
  next(): number {
    this.counter += 1;
    return this.counter;
  }

  today(): string {
    return parisDay(this.rt.clock.now());
  }

  /** The actor's session, signed in once and kept (the test raises the idle limit). */
  async as(login: string): Promise<SignedIn> {
    let s = this.sessions.get(login);
    if (!s) {
      s = await signInAs(this.rt.app, this.rt.clock, login, { password: this.passwords.get(login) ?? DEMO_PASSWORD, secret: this.secrets.get(login) });
      this.sessions.set(login, s);
    }
    return s;
  }

  /** Forgets a session an operation ended (sign-out, password change). */
  forget(login: string): void {
    this.sessions.delete(login);
  }

  /** A second session of `login`, for operations that end one, and its id. */
  spare(login: string) {
    return spareSession(this.rt, login);
  }

  accountId(login: string): Promise<string> {
    return accountIdByLogin(this.rt, login);
  }

  async candidateId(identifier: string): Promise<string> {
    return (await this.rt.ctx.db.selectFrom('candidate').select('id').where('identifier', '=', identifier).executeTakeFirstOrThrow()).id;
  }

  async api(login: string | null, method: Method, url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    return apiCall(this.rt.app, login ? await this.as(login) : null, method, url, payload);
  }

  /** An API call that must succeed (a builder's step); returns its JSON. */
  async apiOk<T = Record<string, unknown>>(login: string | null, method: Method, url: string, payload?: unknown, status = 200): Promise<T> {
    return expectJson<T>(await this.api(login, method, url, payload), status, `${method} ${url} as ${login ?? 'anonymous'}`);
  }

  /** The double-submit CSRF cookie and token an anonymous visitor gets with a public form. */
  async anonymous(): Promise<{ cookie: string; token: string }> {
    if (!this.anonymousForm) {
      const page = await this.rt.app.inject({ url: '/connexion' });
      const set = page.cookies.find((c) => c.name.endsWith('kairos_csrf'));
      assert.ok(set, 'no CSRF cookie on the sign-in page');
      this.anonymousForm = { cookie: `${set.name}=${set.value}`, token: csrfFromHtml(page.body) };
    }
    return this.anonymousForm;
  }

  /** A page form posted as a browser does, with the CSRF field of `session` (or the anonymous one). */
  async form(who: string | SignedIn | null, url: string, fields: Fields = {}): Promise<LightMyRequestResponse> {
    const s = typeof who === 'string' ? await this.as(who) : who;
    const { cookie, token } = s ? { cookie: s.cookie, token: s.csrfToken } : await this.anonymous();
    return this.rt.app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
  }

  /** A page form with files (multipart), with the session's CSRF field. */
  async upload(login: string, url: string, fields: Fields, files: Parameters<typeof multipart>[1]): Promise<LightMyRequestResponse> {
    const s = await this.as(login);
    const { payload, contentType } = await multipart({ _csrf: s.csrfToken, ...fields }, files);
    return this.rt.app.inject({ method: 'POST', url, payload, headers: { cookie: s.cookie, 'content-type': contentType } });
  }

  // -------------------------------------------------------------------------------------------
  // Quotes of organisation A's editor: for candidate A (1234567A, candidat.demo, who answers in
  // the tests) or B (7654321B, whose quotes nobody answers), so that each has fewer periods to fill.

  /** A valid quote in a period of the candidate's own: four weeks apart, so none overlaps another. */
  nextQuote(candidate: 'A' | 'B' = 'B') {
    this.quoteSlots[candidate] += 1;
    const q = validQuote(this.today(), 4 * this.quoteSlots[candidate]);
    return candidate === 'A' ? q : { ...q, candidate: { identifier: '7654321B', lastName: 'Bernard', birthDate: '1985-11-03' } };
  }

  async draftQuote(candidate: 'A' | 'B' = 'B'): Promise<string> {
    return (await this.apiOk<{ id: string }>('devis.demo', 'POST', '/api/v1/quotes', this.nextQuote(candidate), 201)).id;
  }

  async submittedQuote(): Promise<string> {
    const id = await this.draftQuote('A');
    await this.apiOk('devis.demo', 'POST', `/api/v1/quotes/${id}/submit`);
    return id;
  }

  async acceptedQuote(): Promise<string> {
    const id = await this.submittedQuote();
    await this.apiOk('candidat.demo', 'POST', `/api/v1/quotes/${id}/candidate-decision`, { decision: 'accept' });
    return id;
  }

  async changesRequestedQuote(): Promise<string> {
    const id = await this.acceptedQuote();
    await this.apiOk('conseiller.demo', 'POST', `/api/v1/quotes/${id}/decision`, { decision: 'request_changes', reason: 'Précisez le lieu des cours.' });
    return id;
  }

  async approvedQuote(): Promise<string> {
    const id = await this.acceptedQuote();
    await this.apiOk('conseiller.demo', 'POST', `/api/v1/quotes/${id}/decision`, { decision: 'approve' });
    return id;
  }

  /** A template of the organisation (all made from one draft quote). */
  async template(): Promise<string> {
    this.templateSource ??= await this.draftQuote();
    const quoteId = this.templateSource;
    return (await this.apiOk<{ id: string }>('devis.demo', 'POST', '/api/v1/quote-templates', { name: `Modèle audit ${this.next()}`, quoteId }, 201)).id;
  }

  // -------------------------------------------------------------------------------------------
  // GID, onboarding, governance

  /** A new (pending) staff account of organisation A. */
  async staffUser(): Promise<{ id: string; login: string }> {
    return staffUser(this.rt, await this.as('rgc.demo'), this.orgA);
  }

  async suspendedUser(): Promise<{ id: string; login: string }> {
    const u = await this.staffUser();
    await expectJson(await this.api('rgc.demo', 'POST', `/api/v1/organisations/${this.orgA}/users/${u.id}/suspend`), 204, 'suspend');
    return u;
  }

  async grantedHabilitation(): Promise<{ userId: string; habilitationId: string }> {
    const u = await this.staffUser();
    const { id } = await this.apiOk<{ id: string }>('rgc.demo', 'POST', `/api/v1/organisations/${this.orgA}/users/${u.id}/habilitations`, { application: 'kairos', role: 'reader' }, 201);
    return { userId: u.id, habilitationId: id };
  }

  /** A pending account of organisation A and the activation code its second mail carries. */
  async pendingAccount(): Promise<{ id: string; login: string; code: string }> {
    const u = await this.staffUser();
    const email = (await this.rt.ctx.db.selectFrom('account').select('email').where('id', '=', u.id).executeTakeFirstOrThrow()).email;
    const mails = await this.rt.ctx.db.selectFrom('job').select('payload').where('kind', '=', 'mail.send').orderBy('id').execute();
    const texts = mails.map((m) => m.payload as { to: string; text: string }).filter((m) => m.to === email);
    const code = texts.map((m) => ACTIVATION_CODE.exec(m.text)?.[0]).find(Boolean);
    assert.ok(code, `no activation code mailed to ${email}`);
    return { ...u, code };
  }

  /** A pending account whose first activation step is done: its new TOTP secret. */
  async startedActivation(): Promise<{ id: string; login: string; secret: string }> {
    const a = await this.pendingAccount();
    const password = NEW_PASSWORD(this.next());
    const { otpauthUrl } = await this.apiOk<{ otpauthUrl: string }>(null, 'POST', '/api/v1/activation', { login: a.login, activationCode: a.code, password });
    this.passwords.set(a.login, password);
    return { ...a, secret: new URL(otpauthUrl).searchParams.get('secret')! };
  }

  /** A candidate account without a second factor (created by hand, as second-factor.test.ts does). */
  async candidateWithoutFactor(): Promise<string> {
    const model = await this.rt.ctx.db.selectFrom('account').select('password_hash').where('login', '=', 'candidat.demo').executeTakeFirstOrThrow();
    const login = `candidat.audit${this.next()}`;
    await this.rt.ctx.db
      .insertInto('account')
      .values({ login, display_name: 'Candidat Audit', email: null, organisation_id: null, kind: 'candidate', status: 'active', password_hash: model.password_hash, password_changed_at: null, totp_secret_sealed: null, totp_last_step: null })
      .execute();
    return login;
  }

  /** The TOTP code of the pending secret the candidate's enrolment started (API). */
  async startedEnrolment(login: string): Promise<string> {
    const { otpauthUrl } = await this.apiOk<{ otpauthUrl: string }>(login, 'POST', '/api/v1/me/second-factor');
    return totpCodeAt(new URL(otpauthUrl).searchParams.get('secret')!, this.rt.clock.now());
  }

  pendingMembership(): Promise<string> {
    return pendingMembershipRequest(this.rt);
  }

  /** The letters of a newly approved organisation (rendered by the job worker). */
  async letters(): Promise<Record<'identifier' | 'activation', string>> {
    const { letters } = await approvedMembership(this.rt, await this.as('admin.agence'));
    return Object.fromEntries(letters.map((l) => [l.kind, l.id])) as Record<'identifier' | 'activation', string>;
  }

  /** Organisation A's pending change of account manager (to assiduite.demo), asked if none is. */
  async pendingChangeA(): Promise<string> {
    const pending = await this.rt.ctx.db.selectFrom('account_manager_change').select('id').where('organisation_id', '=', this.orgA).where('status', '=', 'pending').executeTakeFirst();
    if (pending) return pending.id;
    const body = { newManagerId: await this.accountId('assiduite.demo'), reason: 'Réorganisation du service formation.' };
    return (await this.apiOk<{ id: string }>('rgc.demo', 'POST', `/api/v1/organisations/${this.orgA}/account-manager-change`, body, 201)).id;
  }

  /** Leaves organisation A without a pending change (refused by the agency), so a new one may be asked. */
  async noPendingChangeA(): Promise<void> {
    const pending = await this.rt.ctx.db.selectFrom('account_manager_change').select('id').where('organisation_id', '=', this.orgA).where('status', '=', 'pending').executeTakeFirst();
    if (pending) await this.apiOk('admin.agence', 'POST', `/api/v1/account-manager-changes/${pending.id}/reject`, { reason: 'Demande remplacée.' });
  }

  /**
   * Organisation B's change of account manager, asked by whichever of rgc.demo2 and devis.demo2
   * holds the role now, for the other: approving it hands the role back and forth, and never
   * takes it from rgc.demo, whom the other operations need.
   */
  async pendingChangeB(): Promise<string> {
    const holders = await this.rt.ctx.db
      .selectFrom('habilitation')
      .innerJoin('account', 'account.id', 'habilitation.account_id')
      .select('account.login')
      .where('habilitation.organisation_id', '=', this.orgB)
      .where('application', '=', 'gid')
      .where('role', '=', 'account_manager')
      .execute();
    const current = holders.some((h) => h.login === 'rgc.demo2') ? 'rgc.demo2' : 'devis.demo2';
    const other = current === 'rgc.demo2' ? 'devis.demo2' : 'rgc.demo2';
    const body = { newManagerId: await this.accountId(other), reason: 'Passation entre responsables.' };
    return (await this.apiOk<{ id: string }>(current, 'POST', `/api/v1/organisations/${this.orgB}/account-manager-change`, body, 201)).id;
  }

  /** An undecided item of organisation A's open access review (opened by the test's set-up). */
  async reviewItem(): Promise<string> {
    const review = await this.apiOk<{ items: Array<{ habilitationId: string; decision: string | null }> }>('rgc.demo', 'GET', `/api/v1/organisations/${this.orgA}/access-review`);
    const item = review.items.find((i) => !i.decision);
    assert.ok(item, 'no undecided item left in the access review');
    return item.habilitationId;
  }

  /** Makes sure organisation A has a security policy, so saving it again is an update. */
  async securityPolicy(): Promise<void> {
    await this.apiOk('rgc.demo', 'PUT', `/api/v1/organisations/${this.orgA}/security-policy`, {
      rolesPolicy: 'Chaque habilitation est validée par la direction avant attribution.',
      departuresPolicy: 'Les comptes des partants sont supprimés le jour du départ.',
    });
  }

  /** An open bulk-access alert on a suspended account of organisation A (written as fixtures.ts does). */
  async openAlert(): Promise<{ id: string; accountId: string }> {
    const u = await this.suspendedUser();
    return { id: await securityAlert(this.rt, u.id, this.orgA, u.login), accountId: u.id };
  }

  /** A support request of devis.demo (JSON, no screenshot). */
  async supportRequest(): Promise<string> {
    const body = { category: 'autre', subject: `Question d’audit ${this.next()}`, description: 'Une question posée pour le test du journal.' };
    return (await this.apiOk<{ id: string }>('devis.demo', 'POST', '/api/v1/support-requests', body, 201)).id;
  }

  // -------------------------------------------------------------------------------------------
  // Trainings of organisation A: records of the past (an approval made two months ago), so that
  // entry, the first month, exit and report are all possible today.

  /** Four weeks from a Monday between the 8th and the 20th of the month three months ago. */
  pastPeriod(): { startDate: string; endDate: string; firstMonth: string; lastMonth: string } {
    let start = addDays(this.today(), -95);
    while (isoWeekday(start) !== 1 || Number(start.slice(8)) < 8 || Number(start.slice(8)) > 20) start = addDays(start, 1);
    const endDate = addDays(start, 25);
    return { startDate: start, endDate, firstMonth: start.slice(0, 7), lastMonth: endDate.slice(0, 7) };
  }

  /** A planned training of 1234567A approved by conseiller.demo; its Carif-Oref session is its own. */
  async plannedTraining(): Promise<{ id: string; session: string }> {
    const p = this.pastPeriod();
    const session = `SE_AUDIT_${this.next()}`;
    const { id } = await createTraining(this.rt.ctx.db, { organisation: 'Formapro Démo', candidate: '1234567A', startDate: p.startDate, endDate: p.endDate, session, at: this.rt.clock.now() });
    return { id, session };
  }

  async enteredTraining(): Promise<{ id: string; session: string }> {
    const t = await this.plannedTraining();
    await this.apiOk('assiduite.demo', 'POST', `/api/v1/trainings/${t.id}/entry`, { startDate: this.pastPeriod().startDate });
    return t;
  }

  /**
   * An open attendance sheet of a half-day of an entered training of candidat.demo, written
   * directly: opening one through the API depends on the hour of the half-day, which this
   * world's clock does not follow (the opening itself is proven by attendance-sheets.test.ts).
   */
  async openSheet(): Promise<{ id: string; trainingId: string }> {
    const t = await this.enteredTraining();
    const half = await this.rt.ctx.db.selectFrom('training_session').selectAll().where('training_id', '=', t.id).orderBy('date').orderBy('period').executeTakeFirstOrThrow();
    const sheet = await this.rt.ctx.db
      .insertInto('attendance_sheet')
      .values({ organisation_id: (await this.rt.ctx.db.selectFrom('training').select('organisation_id').where('id', '=', t.id).executeTakeFirstOrThrow()).organisation_id, carif_oref_session: t.session, date: half.date, period: half.period, starts_at: half.starts_at, ends_at: half.ends_at, opened_by: await this.accountId('assiduite.demo'), opened_at: this.rt.clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: sheet.id, trainingId: t.id };
  }

  /** The code a trainee of the sheet scans now. */
  async sheetToken(sheetId: string): Promise<string> {
    return (await this.apiOk<{ token: string }>('assiduite.demo', 'GET', `/api/v1/attendance-sheets/${sheetId}`)).token;
  }

  /** The half-days of a month of an entered training. */
  async halfDays(trainingId: string, month: string): Promise<Array<{ date: string; period: 'am' | 'pm' }>> {
    const { halfDays } = await this.apiOk<{ halfDays: Array<{ date: string; period: 'am' | 'pm' }> }>('assiduite.demo', 'GET', `/api/v1/trainings/${trainingId}/attendance?month=${month}`);
    return halfDays.map(({ date, period }) => ({ date, period }));
  }

  /** An entered training whose first month is declared (every half-day present), not yet submitted. */
  async declaredFirstMonth(): Promise<{ id: string; session: string; month: string }> {
    const t = await this.enteredTraining();
    const month = this.pastPeriod().firstMonth;
    const entries = (await this.halfDays(t.id, month)).map((h) => ({ date: h.date, period: h.period, status: 'present' }));
    await this.apiOk('assiduite.demo', 'PUT', `/api/v1/trainings/${t.id}/attendance`, { entries });
    return { ...t, month };
  }

  async submittedFirstMonth(): Promise<{ id: string; session: string; month: string }> {
    const t = await this.declaredFirstMonth();
    await this.apiOk('assiduite.demo', 'POST', `/api/v1/trainings/${t.id}/statements/${t.month}/submit`);
    return t;
  }

  async exitedTraining(): Promise<string> {
    const t = await this.enteredTraining();
    await this.apiOk('assiduite.demo', 'POST', `/api/v1/trainings/${t.id}/exit`);
    return t.id;
  }

  /** A withdrawn training: it raises an alert for the advisor. */
  async withdrawnTraining(): Promise<string> {
    const t = await this.enteredTraining();
    await this.apiOk('assiduite.demo', 'POST', `/api/v1/trainings/${t.id}/withdrawal`, { date: this.pastPeriod().startDate, reason: 'found_job' });
    return t.id;
  }

  /** One line of the attendance CSV for the first half-day of the training's last month. */
  async csvLine(t: { id: string; session: string }): Promise<string> {
    const [h] = await this.halfDays(t.id, this.pastPeriod().lastMonth);
    assert.ok(h, 'no half-day in the last month');
    const day = h.date.split('-').reverse().join('/');
    return `1234567A;${t.session};${day};${h.period === 'am' ? 'matin' : 'apres-midi'};present;;;`;
  }

  async supportRequestWithScreenshot(): Promise<{ id: string; attachmentId: string }> {
    const { payload, contentType } = await multipart({ category: 'autre', subject: `Capture d’audit ${this.next()}`, description: 'Le bouton affiche une erreur.' }, [screenshot()]);
    const s = await this.as('devis.demo');
    const created = await this.rt.app.inject({ method: 'POST', url: '/api/v1/support-requests', payload, headers: { ...s.headers, 'content-type': contentType } });
    const { id } = await expectJson<{ id: string }>(created, 201, 'support request with screenshot');
    const view = await this.apiOk<{ attachments: Array<{ id: string }> }>('devis.demo', 'GET', `/api/v1/support-requests/${id}`);
    return { id, attachmentId: view.attachments[0]!.id };
  }
}
