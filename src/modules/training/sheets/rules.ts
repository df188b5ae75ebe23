/**
 * Rules of the digital attendance sheet (docs/decisions/0048-attendance-sheets.md), pure:
 * when a sheet may be opened, the QR token that changes every 30 seconds and how old it may be,
 * the signature a trainee or trainer gives, and what closing a sheet proposes for each trainee.
 */
import { timingSafeEqual } from 'node:crypto';

export const TOKEN_STEP_SECONDS = 30;
/** A token scanned more than this after its step began is refused: the code on screen has moved on twice. */
export const TOKEN_MAX_AGE_SECONDS = 60;
/** A sheet may be opened this long before its half-day starts. */
export const OPEN_BEFORE_MINUTES = 30;
export const MAC_PURPOSE = 'attendance-sheet-token';

export type Period = 'am' | 'pm';

/** The instant of a Paris wall-clock time ('yyyy-mm-dd', 'hh:mm'), summer and winter time alike. */
export function parisInstant(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const asUtc = Date.UTC(y, m - 1, d, hh, mm);
  // Paris is ahead of UTC by the offset at that moment; two passes settle the changeover days.
  let instant = asUtc - parisOffsetMs(new Date(asUtc));
  instant = asUtc - parisOffsetMs(new Date(instant));
  return new Date(instant);
}

function parisOffsetMs(at: Date): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** Why a sheet cannot be opened now, or null when it can. */
export function openingRefusal(now: Date, halfDay: { date: string; startsAt: string; endsAt: string }): string | null {
  const start = parisInstant(halfDay.date, halfDay.startsAt);
  const end = parisInstant(halfDay.date, halfDay.endsAt);
  if (now.getTime() < start.getTime() - OPEN_BEFORE_MINUTES * 60_000) {
    return `La feuille ne peut être ouverte qu’à partir de ${OPEN_BEFORE_MINUTES} minutes avant le début de la demi-journée (${halfDay.startsAt}).`;
  }
  if (now.getTime() > end.getTime()) return `La demi-journée est terminée (fin à ${halfDay.endsAt}) : la feuille ne peut plus être ouverte.`;
  return null;
}

export function stepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOKEN_STEP_SECONDS);
}

type Mac = (data: string) => Buffer;

/** The QR token of a sheet at a time step: `<sheet id>.<step>.<HMAC>`, base64url. */
export function sheetToken(mac: Mac, sheetId: string, step: number): string {
  return `${sheetId}.${step}.${mac(`${sheetId}.${step}`).toString('base64url')}`;
}

export type TokenCheck = { ok: true; sheetId: string; step: number } | { ok: false; reason: 'malformed' | 'expired' };

/** Checks a scanned token: authentic, and scanned at most TOKEN_MAX_AGE_SECONDS after its step began. */
export function checkSheetToken(mac: Mac, token: string, now: Date): TokenCheck {
  const m = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const [, sheetId, stepText, given] = m as unknown as [string, string, string, string];
  const step = Number(stepText);
  const expected = mac(`${sheetId}.${step}`);
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { ok: false, reason: 'malformed' };
  const age = now.getTime() - step * TOKEN_STEP_SECONDS * 1000;
  if (age > TOKEN_MAX_AGE_SECONDS * 1000 || age < -TOKEN_STEP_SECONDS * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, sheetId, step };
}

/** A drawn signature (SVG path data, as the canvas recorded it) or a confirmation for those who cannot draw. */
export type SignatureInput = { kind: 'drawn'; paths: string[] } | { kind: 'confirmed' };

export interface Proposal {
  trainingId: string;
  status: 'present' | 'late' | 'absent';
  lateMinutes: number | null;
}

/**
 * What closing proposes: a trainee who signed is present, or late by the whole minutes between
 * the half-day's start and their signature; one who did not sign is absent (the reason is the
 * attendance officer's to give).
 */
export function proposalsOf(start: Date, trainees: ReadonlyArray<{ trainingId: string; signedAt: Date | null }>): Proposal[] {
  return trainees.map((t) => {
    if (!t.signedAt) return { trainingId: t.trainingId, status: 'absent', lateMinutes: null };
    const late = Math.floor((t.signedAt.getTime() - start.getTime()) / 60_000);
    return late > 0 ? { trainingId: t.trainingId, status: 'late', lateMinutes: late } : { trainingId: t.trainingId, status: 'present', lateMinutes: null };
  });
}
