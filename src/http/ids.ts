import { problems } from './problem.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names nothing: it answers 404 like an unknown one. */
export function uuidOr404(value: unknown, detail?: string): string {
  if (typeof value === 'string' && UUID.test(value)) return value.toLowerCase();
  throw problems.notFound(detail);
}
