/** Logins: how one is written for look-ups, and how a new one is proposed from a name. */
import { randomInt } from 'node:crypto';

/** The form of a login the table holds and look-ups (and throttle keys) use. */
export function normaliseLogin(login: string): string {
  return login.trim().toLowerCase().slice(0, 100);
}

/** Lower-case ASCII letters only: "Élodie D'Arc-Müller" → "elodiedarcmuller". */
export function asciiSlug(text: string, max = 16): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .slice(0, max);
}

/** A login like `dmartin.4821`: readable, not guessable from the name alone. */
export function proposeLogin(firstName: string, lastName: string): string {
  const base = `${asciiSlug(firstName, 1)}${asciiSlug(lastName, 16)}` || 'compte';
  return `${base}.${randomInt(1000, 10000)}`;
}
