/**
 * The organisation-wide attendance CSV import (docs/product/training-follow-up.md#csv-import), up
 * to 100 000 lines in bounded memory (decision 0041). The file is read twice from its source (a
 * temporary file for uploads), never held whole: pass 1 checks every line's cells and collects the
 * candidates and sessions it names; pass 2, inside one transaction with the trainings locked,
 * checks each line against its training and stores the accepted ones by multi-row INSERTs as it
 * goes. One refused line anywhere rolls everything back, so the import stays all or nothing; the
 * answer lists the first refused lines (CSV_ERRORS_SHOWN) and says how many there are in all.
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { DB, Training } from '../../../db/schema.js';
import { HttpProblem, TITLES } from '../../../http/problem.js';
import { byActor, recordAudit } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import { parisDay } from '../../onboarding/rules.js';
import { checkUnjustifiedAbsences } from '../alerts/service.js';
import { writerOrganisation } from '../policy.js';
import { entryProblems, monthOf, type AttendanceCheckContext } from '../rules.js';
import { CSV_FIELD_OF, CSV_MAX_LINES, emptyFileError, headerErrors, headerOnlyError, parseLine, splitCsvLine, tooManyLinesError, type CsvError, type CsvRow } from './csv-rules.js';
import { textSource, type CsvSource } from './csv-upload.js';
import { importTargets, lockTrainings, upsertAttendance, type AttendanceWrite } from './repository.js';
import { CSV_REFUSED, checkContextOf, refusal, toWrite } from './service.js';

/** Refused lines listed in an answer; the detail gives the total beyond. */
export const CSV_ERRORS_SHOWN = 1_000;
/** Accepted lines per multi-row INSERT: 9 parameters a row, well under PostgreSQL's 65 535. */
const INSERT_BATCH = 1_000;

/** Refused lines in the order found (each pass finds them in line order), the first few kept. */
class Refusals {
  readonly shown: CsvError[] = [];
  readonly codes = new Set<string>();
  total = 0;
  add(error: CsvError, code: string): void {
    this.total++;
    this.codes.add(code);
    if (this.shown.length < CSV_ERRORS_SHOWN) this.shown.push(error);
  }
}

const refused = (errors: CsvError[]) => new HttpProblem(422, TITLES[422], CSV_REFUSED, errors);

interface FirstPass {
  refusals: Refusals;
  identifiers: Set<string>;
  sessions: Set<string>;
  rows: number;
}

/** Pass 1: the header, the line count, every line's cells; nothing from the database. */
async function checkCells(source: CsvSource): Promise<FirstPass> {
  const out: FirstPass = { refusals: new Refusals(), identifiers: new Set(), sessions: new Set(), rows: 0 };
  let line = 0;
  let header: string | null = null;
  let data = 0;
  for await (const text of source.lines()) {
    line++;
    if (line === 1) header = text;
    if (text.trim() === '') continue;
    if (header !== null) {
      const problems = headerErrors(header);
      if (problems.length) throw refused(problems);
      header = null;
      if (line === 1) continue;
    }
    if (++data > CSV_MAX_LINES) throw refused([tooManyLinesError(data)]);
    const parsed = parseLine(splitCsvLine(text), line);
    for (const e of parsed.errors) out.refusals.add(e, 'parse');
    if (parsed.row) {
      out.rows++;
      out.identifiers.add(parsed.row.identifier);
      out.sessions.add(parsed.row.session);
    }
  }
  if (line === 0 || (header !== null && header.trim() === '')) throw refused([emptyFileError()]);
  if (data === 0) throw refused([headerOnlyError()]);
  return out;
}

interface Target {
  training: Training;
  identifier: string;
  check: AttendanceCheckContext;
}

/** The organisation's trainings the file names, locked in id order, each with what its lines are checked against. */
async function targetsOf(trx: Transaction<DB>, organisationId: string, pass: FirstPass, today: string): Promise<Map<string, Target[]>> {
  const found = (await importTargets(trx, organisationId, [...pass.identifiers])).filter((f) => pass.sessions.has(f.carif_oref_session));
  const ids = [...new Set(found.map((f) => f.id))].sort();
  if (ids.length) await lockTrainings(trx, ids);
  const byPair = new Map<string, Target[]>();
  for (const f of found) {
    const { identifier, ...training } = f;
    const key = `${identifier}|${f.carif_oref_session}`;
    byPair.set(key, [...(byPair.get(key) ?? []), { training, identifier, check: await checkContextOf(trx, training, today) }]);
  }
  return byPair;
}

interface Stored {
  count: number;
  months: Map<string, { target: Target; months: Set<string> }>;
}

/** Pass 2: each line against its training; the accepted ones stored as long as nothing is refused. */
async function checkAndStore(trx: Transaction<DB>, source: CsvSource, byPair: Map<string, Target[]>, refusals: Refusals, earlier: number, by: string, at: Date): Promise<Stored> {
  // Pass 1's refusals (`earlier`) stop the storing from the start; this pass still lists its own.
  const blocked = () => earlier + refusals.total > 0;
  const stored: Stored = { count: 0, months: new Map() };
  const seen = new Map<string, Map<number, number>>();
  let batch: AttendanceWrite[] = [];
  // One INSERT in flight while the next batch is read and checked (the connection takes one at a time).
  let inFlight = null as Promise<void> | null; // typed wide: set inside flush(), read after it
  const flush = async () => {
    if (inFlight) await inFlight;
    inFlight = null;
    if (!blocked() && batch.length) {
      const sent = upsertAttendance(trx, batch, by, at, INSERT_BATCH);
      sent.catch(() => undefined); // awaited at the next flush; no unhandled rejection meanwhile
      inFlight = sent;
    }
    batch = [];
  };
  let line = 0;
  for await (const text of source.lines()) {
    line++;
    if (line === 1 || text.trim() === '') continue;
    const row: CsvRow | undefined = parseLine(splitCsvLine(text), line).row;
    if (!row) continue; // refused in pass 1
    const matches = byPair.get(`${row.identifier}|${row.session}`) ?? [];
    if (matches.length === 0) {
      refusals.add({ line, field: 'identifiant_candidat', message: `identifiant_candidat : aucune formation de votre organisme ne correspond au candidat ${row.identifier} et à la session « ${row.session} ». Vérifiez les deux.` }, 'unknown_training');
      continue;
    }
    const match = matches.find((m) => row.entry.date >= m.training.start_date && row.entry.date <= m.training.end_date) ?? matches[0]!;
    const found = entryProblems(row.entry, match.check);
    // Numbers, not strings, as keys: 100 000 of them stay a few megabytes.
    const ofTraining = seen.get(match.training.id) ?? new Map<number, number>();
    seen.set(match.training.id, ofTraining);
    const key = (Date.parse(row.entry.date) / 86_400_000) * 2 + (row.entry.period === 'pm' ? 1 : 0);
    const first = ofTraining.get(key);
    if (first !== undefined) found.push({ field: 'date', code: 'duplicate', message: `Date : cette demi-journée figure déjà à la ligne ${first}.` });
    else ofTraining.set(key, line);
    for (const p of found) {
      const field = CSV_FIELD_OF[p.field];
      refusals.add({ line, field, message: `${field} : ${p.message.replace(/^[^:]+ : /, '')}` }, p.code);
    }
    if (found.length || blocked()) continue;
    batch.push(toWrite(match.training.id, row.entry));
    stored.count++;
    const months = stored.months.get(match.training.id) ?? { target: match, months: new Set<string>() };
    stored.months.set(match.training.id, months);
    months.months.add(monthOf(row.entry.date));
    if (batch.length >= INSERT_BATCH) await flush();
  }
  await flush();
  if (inFlight) await inFlight;
  return stored;
}

function refusalOf(cells: Refusals, lines: Refusals): HttpProblem {
  const errors = [...cells.shown, ...lines.shown].sort((a, b) => a.line - b.line).slice(0, CSV_ERRORS_SHOWN);
  const total = cells.total + lines.total;
  const detail = total > errors.length ? `${CSV_REFUSED} Le fichier compte ${total.toLocaleString('fr-FR')} erreurs : seules les ${errors.length.toLocaleString('fr-FR')} premières sont listées.` : CSV_REFUSED;
  return refusal(errors, [...cells.codes, ...lines.codes], detail);
}

/**
 * Imports an organisation's attendance file: matched to the organisation's trainings by
 * candidate identifier and Carif-Oref session, checked like API entries, stored only if no line
 * is refused. A refusal lists the refused lines (number, column, message).
 */
export async function importAttendanceCsv(ctx: AppContext, actor: Actor, file: CsvSource | string, meta: RequestMeta): Promise<{ imported: number }> {
  const source = typeof file === 'string' ? textSource(file) : file;
  const organisationId = writerOrganisation(actor);
  const now = ctx.clock.now();
  const cells = await checkCells(source);
  if (cells.rows === 0) throw refusalOf(cells.refusals, new Refusals());
  return ctx.db.transaction().execute(async (trx) => {
    const byPair = await targetsOf(trx, organisationId, cells, parisDay(now));
    const lines = new Refusals();
    const stored = await checkAndStore(trx, source, byPair, lines, cells.refusals.total, actor.accountId, now);
    if (cells.refusals.total + lines.total) throw refusalOf(cells.refusals, lines);
    await recordAudit(trx, {
      at: now,
      ...byActor(actor, meta),
      organisationId,
      action: 'attendance.imported',
      target: { type: 'organisation', id: organisationId },
      details: { lines: stored.count, trainings: stored.months.size, months: [...new Set([...stored.months.values()].flatMap((m) => [...m.months]))].sort() },
    });
    for (const [trainingId, { target, months }] of stored.months) {
      await checkUnjustifiedAbsences(trx, ctx, { id: trainingId, title: target.training.title, identifier: target.identifier }, months);
    }
    return { imported: stored.count };
  });
}
