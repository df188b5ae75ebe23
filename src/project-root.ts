import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's folder (the one holding package.json, node_modules, content/, public/), found by
 * walking up from this file. A fixed `../..` from each caller would hold only in the TypeScript
 * sources: `npm start` runs the bundle built into dist/server/ (scripts/start.mjs), where every
 * module lives in one file at another depth. This module is the one place that reads its own
 * location; scripts/build.mjs refuses a bundle in which another module does.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`package.json introuvable au-dessus de ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
