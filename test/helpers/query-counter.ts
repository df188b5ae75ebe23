/**
 * Counts the statements a piece of work sends to the database — its round trips — in tests only.
 * The drivers' query methods (node-postgres clients, PGlite) are wrapped once per test process
 * and count while a window is open; production code is untouched (nothing here is imported by it).
 * Fastify's inject does not keep the caller's async context, so statements are attributed by time:
 * count one request at a time, with no other database work running (the job worker's statements
 * are told apart by `kindOf`).
 *
 *   const { statements } = await countQueries(() => rt.app.inject({ ... }));
 *
 * BEGIN and COMMIT are round trips too and are counted; a multi-statement script sent at once
 * (PGlite's exec) counts once.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

let current: string[] | null = null;
/** The open capture window of `captureStatements`: text and parameters, to EXPLAIN them later. */
let captured: Array<{ text: string; values: unknown[] }> | null = null;
let installed = false;

type Method = (this: unknown, ...args: unknown[]) => unknown;

function wrap(owner: object, name: string): void {
  const target = owner as Record<string, Method>;
  const original = target[name]!;
  target[name] = function (this: unknown, ...args: unknown[]) {
    const tally = current;
    const first = args[0] as string | { text?: string; values?: unknown[] } | undefined;
    const text = typeof first === 'string' ? first : (first?.text ?? '?');
    if (tally) tally.push(text);
    if (captured) captured.push({ text, values: (typeof first === 'object' ? first?.values : undefined) ?? (Array.isArray(args[1]) ? (args[1] as unknown[]) : []) });
    return original.apply(this, args);
  };
}

function install(): void {
  if (installed) return;
  installed = true;
  wrap(pg.Client.prototype, 'query');
  wrap(PGlite.prototype, 'query');
  wrap(PGlite.prototype, 'exec');
}

/** Runs `work` and returns its result with the SQL text of every statement it sent, in order. */
export async function countQueries<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  install();
  if (current) throw new Error('countQueries: one window at a time');
  const statements: string[] = [];
  current = statements;
  try {
    return { result: await work(), statements };
  } finally {
    current = null;
  }
}

/** Like countQueries, with each statement's parameters (for EXPLAIN); same attribution by time. */
export async function captureStatements<T>(work: () => Promise<T>): Promise<{ result: T; statements: Array<{ text: string; values: unknown[] }> }> {
  install();
  if (captured) throw new Error('captureStatements: one window at a time');
  const statements: Array<{ text: string; values: unknown[] }> = [];
  captured = statements;
  try {
    return { result: await work(), statements };
  } finally {
    captured = null;
  }
}

/** What a statement is about, for budgets that cover one part of a request. */
export type StatementKind = 'transaction' | 'session' | 'bulk_access' | 'audit' | 'job' | 'other';

const KINDS: Array<[StatementKind, RegExp]> = [
  ['transaction', /^\s*(begin|commit|rollback)\b/i],
  ['bulk_access', /"?candidate_access"?|"?security_alert"?|\bguard_reads\(/i],
  ['audit', /"?audit_log"?|\baudit_append\(|pg_advisory_xact_lock/i],
  ['job', /^\s*(select|update|insert into|delete from) "?(job|mail_outbox)"?\b|from "?job"?\s/i],
  ['session', /^\s*(select|update|delete)\b[\s\S]*\bfrom "?(session|habilitation|account)"?\s|^\s*update "?session"?/i],
];

export function kindOf(statement: string): StatementKind {
  return KINDS.find(([, pattern]) => pattern.test(statement))?.[0] ?? 'other';
}

/** Statements per kind, e.g. { session: 2, other: 2 }. */
export function tally(statements: readonly string[]): Record<StatementKind, number> {
  const counts: Record<StatementKind, number> = { transaction: 0, session: 0, bulk_access: 0, audit: 0, job: 0, other: 0 };
  for (const s of statements) counts[kindOf(s)]++;
  return counts;
}
