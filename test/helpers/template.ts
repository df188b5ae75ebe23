import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATE_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.cache/pglite-test-template.tar.gz');

/**
 * The migrated and seeded PGlite database that `npm test` prepares once: loading it takes
 * about a second, where creating a database and seeding it takes five.
 */
export function loadTemplate(): Blob | undefined {
  if (!existsSync(TEMPLATE_PATH)) return undefined;
  return new Blob([readFileSync(TEMPLATE_PATH)]);
}
