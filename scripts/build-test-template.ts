// Builds the PGlite database that test files start from: migrated, with the demo data.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createRuntime } from '../src/runtime.js';
import { TEMPLATE_PATH } from '../test/helpers/template.js';

const config = loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'true', LOG_LEVEL: 'silent' });
const runtime = await createRuntime(config, { inMemory: true });
const blob = await runtime.database.dump!();
mkdirSync(path.dirname(TEMPLATE_PATH), { recursive: true });
writeFileSync(TEMPLATE_PATH, Buffer.from(await blob.arrayBuffer()));
await runtime.close();
process.stdout.write(`PGlite test template written (${Math.round(blob.size / 1024)} KiB)\n`);
