/**
 * Writes the generated rows with set-based SQL: each chunk of candidates travels as one JSON
 * parameter, and the candidates, quotes (with their versions and timelines) and trainings of that
 * chunk are each one INSERT … SELECT, the half-day sessions and their attendance one more, all in
 * one transaction. Every identifier is made here, so no statement reads back what another wrote:
 * the cost per chunk stays flat as the tables grow. Indexes, unique keys and checks stay on; only
 * the row-by-row foreign-key triggers of sessions and attendance are skipped, where the references
 * hold by construction (docs/decisions/0029-scale-generator.md).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../src/db/database.js';
import type { DB } from '../../src/db/schema.js';
import { recordAudit } from '../../src/modules/audit/service.js';
import { QUALIOPI_EXPIRY, type QuoteProfile, type ScalePlan } from './plan.js';
import { SCALE_LIMITS, type ScaleArgs } from './args.js';

/** Candidates per transaction: about 900 trainings, up to a few hundred thousand attendance rows. */
export const CANDIDATE_CHUNK = 2_000;
const ORGANISATION_CHUNK = 5_000;
/** Generated rows are recognisable by this mail domain (and logins ending in .org<n>). */
export const SCALE_MAIL_DOMAIN = 'scale.kairos.example';

export const STAFF_ROLES = [
  { prefix: 'rgc', displayName: 'Responsable', habilitations: [['gid', 'account_manager'], ['support', 'user']] },
  { prefix: 'devis', displayName: 'Rédacteur de devis', habilitations: [['kairos', 'quote_editor'], ['support', 'user']] },
  { prefix: 'assiduite', displayName: 'Gestionnaire d’assiduité', habilitations: [['kairos', 'attendance_officer'], ['support', 'user']] },
] as const;

export interface Counts {
  organisations: number;
  candidates: number;
  quotes: number;
  trainings: number;
  attendance: number;
}

export interface Secrets {
  /** The demo password, hashed once for every generated account. */
  passwordHash: string;
  /** The demo TOTP secret, sealed once with the instance's key. */
  sealedTotp: string;
}

/** Numbers already taken by earlier runs: a new run adds organisations and candidates after them. */
export async function existingOffsets(db: Database): Promise<{ organisations: number; candidates: number }> {
  const org = await sql<{ n: number }>`select coalesce(max(substring(login from 8)::int), 0) as n from account where login ~ '^rgc\\.org[0-9]+$'`.execute(db);
  const cand = await sql<{ n: number }>`
    select coalesce(max(substring(identifier from 1 for 7)::int), 0) as n from candidate
    where email like ${'%@' + SCALE_MAIL_DOMAIN} and identifier ~ '^[0-9]{7}Z$'`.execute(db);
  return { organisations: Number(org.rows[0]!.n), candidates: Number(cand.rows[0]!.n) };
}

/** An agency advisor to decide the generated quotes (the demo's), or none. */
async function anAdvisor(db: Database): Promise<{ id: string; login: string } | null> {
  const row = await db
    .selectFrom('habilitation')
    .innerJoin('account', 'account.id', 'habilitation.account_id')
    .select(['account.id', 'account.login'])
    .where('habilitation.application', '=', 'kairos')
    .where('habilitation.role', '=', 'advisor')
    .where('account.status', '=', 'active')
    .orderBy('account.login')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

interface GeneratedOrganisation {
  id: string;
  quoteEditor: string;
  attendanceOfficer: string;
}

/**
 * A time-ordered UUID (version 7): rows of one chunk get neighbouring keys, so the primary-key
 * indexes of trainings, sessions and attendance grow at their end instead of being rewritten at
 * random places (with random UUIDs, 10⁷ rows no longer fit the cache and each insert reads a page).
 */
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Whether foreign-key triggers may be skipped for the two bulk tables (superuser only): their
 * references hold by construction (writeChunk), and PostgreSQL's row-by-row checks, each locking
 * the referenced row, cost about twice the insert itself. Other roles keep the checks.
 */
async function canSkipTriggers(db: Database): Promise<boolean> {
  const row = await sql<{ superuser: boolean }>`select rolsuper as superuser from pg_roles where rolname = current_user`.execute(db);
  return row.rows[0]?.superuser === true;
}

const siretOf = (n: number) => `8${String(n).padStart(13, '0')}`;

async function writeOrganisations(trx: Transaction<DB>, from: number, to: number, secrets: Secrets, now: Date): Promise<GeneratedOrganisation[]> {
  await sql`
    insert into organisation (name, kind, siret, status, created_at, nda, qualiopi, qualiopi_expiry, address)
    select 'Organisme généré ' || n, 'training_provider', '8' || lpad(n::text, 13, '0'), 'active', ${now},
           '11' || lpad(n::text, 9, '0'), true, ${QUALIOPI_EXPIRY}::date, n || ' rue de la Génération, 75011 Paris'
    from generate_series(${from}::int, ${to}::int) as n`.execute(trx);
  const roles = JSON.stringify(STAFF_ROLES.map((r) => ({ prefix: r.prefix, display_name: r.displayName })));
  await sql`
    insert into account (login, display_name, email, organisation_id, kind, status, password_hash, password_changed_at, totp_secret_sealed, totp_last_step, created_at)
    select r.prefix || '.org' || o.n, r.display_name || ' ' || o.n, r.prefix || '.org' || o.n || ${'@' + SCALE_MAIL_DOMAIN}, o.id, 'staff', 'active',
           ${secrets.passwordHash}, ${now}, ${secrets.sealedTotp}, null, ${now}
    from (select id, substring(siret from 2)::int as n from organisation where siret between ${siretOf(from)} and ${siretOf(to)}) o
    cross join jsonb_to_recordset(${roles}::jsonb) as r(prefix text, display_name text)`.execute(trx);
  const grants = JSON.stringify(STAFF_ROLES.flatMap((r) => r.habilitations.map(([application, role]) => ({ prefix: r.prefix, application, role }))));
  await sql`
    insert into habilitation (account_id, organisation_id, application, role, granted_by, granted_at)
    select a.id, a.organisation_id, g.application, g.role, null, ${now}
    from account a
    join organisation o on o.id = a.organisation_id and o.siret between ${siretOf(from)} and ${siretOf(to)}
    join jsonb_to_recordset(${grants}::jsonb) as g(prefix text, application text, role text) on a.login = g.prefix || '.org' || substring(o.siret from 2)::int`.execute(trx);
  // Ten recovery codes per account as at every account's creation; nobody knows them (as for the
  // demo accounts, whose codes are never shown), so a random value stands in for each code.
  await sql`
    insert into recovery_code (account_id, code_hash, used_at)
    select a.id, encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'), null
    from account a
    join organisation o on o.id = a.organisation_id and o.siret between ${siretOf(from)} and ${siretOf(to)}
    cross join generate_series(1, 10)`.execute(trx);
  const rows = await sql<{ n: number; id: string; quote_editor: string; attendance_officer: string }>`
    select substring(o.siret from 2)::int as n, o.id,
           (select id from account where login = 'devis.org' || substring(o.siret from 2)::int) as quote_editor,
           (select id from account where login = 'assiduite.org' || substring(o.siret from 2)::int) as attendance_officer
    from organisation o where o.siret between ${siretOf(from)} and ${siretOf(to)} order by 1`.execute(trx);
  return rows.rows.map((r) => ({ id: r.id, quoteEditor: r.quote_editor, attendanceOfficer: r.attendance_officer }));
}

const TRANSITION_OF: Record<string, { action: string; from: string }> = {
  submitted: { action: 'submit', from: 'draft' },
  accepted: { action: 'accept', from: 'submitted' },
  declined: { action: 'decline', from: 'submitted' },
  approved: { action: 'approve', from: 'accepted' },
  refused: { action: 'refuse', from: 'accepted' },
  changes_requested: { action: 'request_changes', from: 'accepted' },
  cancelled: { action: 'cancel', from: 'submitted' },
  expired: { action: 'expire', from: 'submitted' },
};

/** The profile table one chunk joins with: dates, sections, timeline and half-days of each profile. */
function profilesJson(profiles: QuoteProfile[]): string {
  return JSON.stringify(
    profiles.map((p, idx) => {
      const events: Array<{ action: string; from_status: string | null; to_status: string; at: Date; actor: 'editor' | 'advisor' | 'none' }> = [{ action: 'create', from_status: null, to_status: 'draft', at: p.createdAt, actor: 'editor' }];
      if (p.submittedAt) events.push({ action: 'submit', from_status: 'draft', to_status: 'submitted', at: p.submittedAt, actor: 'editor' });
      if (p.acceptedAt) events.push({ action: 'accept', from_status: 'submitted', to_status: 'accepted', at: p.acceptedAt, actor: 'none' });
      const last = TRANSITION_OF[p.status];
      if (last && !events.some((e) => e.to_status === p.status)) {
        const at = p.decidedAt ?? new Date(Math.max(...events.map((e) => e.at.getTime())) + 86_400_000);
        events.push({ action: last.action, from_status: last.from, to_status: p.status, at, actor: p.decidedAt ? 'advisor' : p.status === 'cancelled' ? 'editor' : 'none' });
      }
      return {
        idx,
        status: p.status,
        type: p.type,
        data: p.data,
        created_at: p.createdAt,
        submitted_at: p.submittedAt,
        accepted_at: p.acceptedAt,
        decided_at: p.decidedAt,
        updated_at: p.decidedAt ?? p.acceptedAt ?? p.submittedAt ?? p.createdAt,
        training_status: p.training?.status ?? null,
        entry_date: p.training?.entryDate ?? null,
        attendance_until: p.training?.attendanceUntil ?? null,
        events,
        sessions: (p.training?.sessions ?? []).map((s) => ({ date: s.date, period: s.period, starts_at: s.from, ends_at: s.to, minutes: s.minutes })),
      };
    }),
  );
}

interface ChunkRow {
  candidate_id: string;
  identifier: string;
  quote_id: string;
  training_id: string | null;
  organisation_id: string;
  quote_editor: string;
  attendance_officer: string;
  p: number;
}

async function writeChunk(trx: Transaction<DB>, rows: ChunkRow[], profiles: string, advisor: { id: string; login: string } | null, now: Date, skipTriggers: boolean): Promise<{ trainings: number; attendance: number }> {
  const advisorId = advisor?.id ?? null;
  await sql`
    create temp table scale_rows on commit drop as
    select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(candidate_id uuid, identifier text, quote_id uuid, training_id uuid,
      organisation_id uuid, quote_editor uuid, attendance_officer uuid, p int)`.execute(trx);
  await sql`
    create temp table scale_profiles on commit drop as
    select * from jsonb_to_recordset(${profiles}::jsonb) as x(idx int, status text, type text, data jsonb, created_at timestamptz,
      submitted_at timestamptz, accepted_at timestamptz, decided_at timestamptz, updated_at timestamptz, training_status text,
      entry_date date, attendance_until date, events jsonb, sessions jsonb)`.execute(trx);
  await sql`
    insert into candidate (id, identifier, last_name, first_name, birth_date, email, account_id, created_at, created_by)
    select r.candidate_id, r.identifier, 'Généré', 'Candidat ' || substring(r.identifier from 1 for 7)::int,
           date '1975-01-01' + (substring(r.identifier from 1 for 7)::int % 9000),
           'candidat.' || substring(r.identifier from 1 for 7)::int || ${'@' + SCALE_MAIL_DOMAIN}, null, ${now}, ${advisorId}::uuid
    from scale_rows r`.execute(trx);
  await sql`
    insert into quote (id, organisation_id, candidate_id, type, status, version, data, created_at, updated_at, created_by,
                       submitted_at, reminded_at, accepted_at, decided_at, decided_by, agreement_reference)
    select r.quote_id, r.organisation_id, r.candidate_id, p.type, p.status, 1, p.data, p.created_at, p.updated_at, r.quote_editor,
           p.submitted_at, null, p.accepted_at, p.decided_at, case when p.decided_at is not null then ${advisorId}::uuid end,
           case when p.status = 'approved'
             then 'APC-' || to_char(p.decided_at at time zone 'Europe/Paris', 'YYYY') || '-' || upper(substring(replace(r.quote_id::text, '-', '') from 1 for 10)) end
    from scale_rows r join scale_profiles p on p.idx = r.p`.execute(trx);
  await sql`
    insert into quote_version (quote_id, version, type, candidate_id, data, submitted_at)
    select r.quote_id, 1, p.type, r.candidate_id, p.data, p.submitted_at
    from scale_rows r join scale_profiles p on p.idx = r.p where p.submitted_at is not null`.execute(trx);
  await sql`
    insert into quote_event (quote_id, at, actor_id, actor_login, action, from_status, to_status, version, comment)
    select r.quote_id, e.at, case e.actor when 'editor' then r.quote_editor when 'advisor' then ${advisorId}::uuid end,
           case e.actor when 'editor' then (select login from account where id = r.quote_editor) when 'advisor' then ${advisor?.login ?? null}::text end,
           e.action, e.from_status, e.to_status, 1,
           case when e.to_status in ('refused', 'changes_requested') then 'Motif généré pour la mesure de charge.' end
    from scale_rows r join scale_profiles p on p.idx = r.p
    cross join jsonb_to_recordset(p.events) as e(action text, from_status text, to_status text, at timestamptz, actor text)
    order by r.quote_id, e.at`.execute(trx);
  const trainings = await sql`
    insert into training (id, quote_id, quote_version, organisation_id, candidate_id, status, title, carif_oref_session,
                          start_date, end_date, created_at, updated_at, entry_date)
    select r.training_id, r.quote_id, 1, r.organisation_id, r.candidate_id, p.training_status, p.data->'training'->>'title',
           p.data->'training'->>'carifOrefSession', (p.data->'training'->>'startDate')::date, (p.data->'training'->>'endDate')::date,
           p.decided_at, coalesce(p.entry_date::timestamptz, p.decided_at), p.entry_date
    from scale_rows r join scale_profiles p on p.idx = r.p where r.training_id is not null`.execute(trx);
  // From here on, only the two bulk tables, whose references hold by construction: each session
  // belongs to a training inserted just above, and each attendance row is made from the RETURNING
  // of the session insert (so it has its half-day) and recorded by the organisation's officer.
  if (skipTriggers) await sql`set local session_replication_role = replica`.execute(trx);
  // A stable pseudo-random draw per half-day: 88 % present, 6 % late, 6 % absent with every
  // reason, the justified flag agreeing with it (as entryShapeProblems demands).
  const attendance = await sql`
    with session as (
      insert into training_session (training_id, date, period, starts_at, ends_at, minutes)
      select r.training_id, s.date, s.period, s.starts_at, s.ends_at, s.minutes
      from scale_rows r join scale_profiles p on p.idx = r.p
      cross join jsonb_to_recordset(p.sessions) as s(date date, period text, starts_at text, ends_at text, minutes int)
      where r.training_id is not null
      returning training_id, date, period
    )
    insert into attendance (training_id, date, period, status, late_minutes, reason, justified, recorded_at, recorded_by)
    select training_id, date, period,
           case when h < 88 then 'present' when h < 94 then 'late' else 'absent' end,
           case when h >= 88 and h < 94 then 5 + (h - 88) * 5 end,
           case h when 94 then 'sickness' when 95 then 'justified' when 96 then 'unjustified' when 97 then 'agency_appointment'
                  when 98 then 'family_event' when 99 then 'other' end,
           case when h >= 94 then h not in (96, 99) end,
           (date + time '18:00') at time zone 'Europe/Paris', recorded_by
    from (
      select s.training_id, s.date, s.period, r.attendance_officer as recorded_by,
             abs(hashtext(s.training_id::text || s.date::text || s.period)) % 100 as h
      from session s join scale_rows r on r.training_id = s.training_id join scale_profiles p on p.idx = r.p
      where s.date <= p.attendance_until
    ) d`.execute(trx);
  if (skipTriggers) await sql`set local session_replication_role = origin`.execute(trx);
  return { trainings: Number(trainings.numAffectedRows ?? 0), attendance: Number(attendance.numAffectedRows ?? 0) };
}

const fmt = (n: number) => n.toLocaleString('fr-FR');

/** Writes everything the arguments ask for; `progress` gets one French line per step. */
export async function writeScale(db: Database, plan: ScalePlan, args: ScaleArgs, secrets: Secrets, now: Date, progress: (line: string) => void): Promise<Counts> {
  const offsets = await existingOffsets(db);
  if (offsets.candidates + args.candidates > SCALE_LIMITS.candidates) {
    throw new Error(
      `--candidates : cette base contient déjà ${fmt(offsets.candidates)} candidats générés ; ${fmt(SCALE_LIMITS.candidates - offsets.candidates)} au plus peuvent encore l’être (identifiants à 7 chiffres). Aucune donnée générée n’a été écrite.`,
    );
  }
  const advisor = await anAdvisor(db);
  const skipTriggers = await canSkipTriggers(db);
  if (!skipTriggers) progress('rôle sans droit superutilisateur : clés étrangères vérifiées ligne à ligne par PostgreSQL (plus lent)');
  const organisations: GeneratedOrganisation[] = [];
  for (let from = 1; from <= args.organisations; from += ORGANISATION_CHUNK) {
    const to = Math.min(args.organisations, from + ORGANISATION_CHUNK - 1);
    const written = await db.transaction().execute((trx) => writeOrganisations(trx, offsets.organisations + from, offsets.organisations + to, secrets, now));
    organisations.push(...written);
    progress(`organismes : ${fmt(organisations.length)} / ${fmt(args.organisations)} (comptes rgc, devis, assiduite)`);
  }
  const profiles = profilesJson(plan.profiles);
  const counts: Counts = { organisations: organisations.length, candidates: 0, quotes: 0, trainings: 0, attendance: 0 };
  for (let from = 0; from < args.candidates; from += CANDIDATE_CHUNK) {
    const rows: ChunkRow[] = [];
    for (let i = from; i < Math.min(args.candidates, from + CANDIDATE_CHUNK); i++) {
      const org = organisations[i % organisations.length]!;
      // Candidate i is the (i / organisations)-th of its organisation: its profile follows that
      // rank, shifted by the organisation, so every organisation gets every profile (i modulo 16
      // would give an organisation only the profiles sharing its residue when the counts share a
      // factor: 2 of 16 with 1 000 organisations) and the profiles stay balanced over the run.
      const p = (Math.floor(i / organisations.length) + (i % organisations.length)) % plan.profiles.length;
      rows.push({
        candidate_id: randomUUID(),
        identifier: `${String(offsets.candidates + i + 1).padStart(7, '0')}Z`,
        // Random: the agreement reference is made of the start of the quote's id.
        quote_id: randomUUID(),
        training_id: plan.profiles[p]!.training ? uuidv7() : null,
        organisation_id: org.id,
        quote_editor: org.quoteEditor,
        attendance_officer: org.attendanceOfficer,
        p,
      });
    }
    const written = await db.transaction().execute((trx) => writeChunk(trx, rows, profiles, advisor, now, skipTriggers));
    counts.candidates += rows.length;
    counts.quotes += rows.length;
    counts.trainings += written.trainings;
    counts.attendance += written.attendance;
    progress(`candidats : ${fmt(counts.candidates)} / ${fmt(args.candidates)} · devis ${fmt(counts.quotes)} · formations ${fmt(counts.trainings)} · assiduité ${fmt(counts.attendance)}`);
  }
  // One audit row through the chain for the whole run (the rows themselves are benchmark data,
  // not actions of anyone): the chain stays verifiable and says when and what was generated.
  await db.transaction().execute((trx) => recordAudit(trx, { at: now, action: 'demo.scale_generated', details: { ...args, ...counts } }));
  progress('statistiques du planificateur (ANALYZE)…');
  await sql`analyze organisation, account, habilitation, candidate, quote, quote_version, quote_event, training, training_session, attendance`.execute(db);
  return counts;
}
