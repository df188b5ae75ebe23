// The attendance import at its largest: a 100 000-line file streamed to the route (the test never
// holds it whole either) is stored whole; one bad line at line 99 999 stores nothing; the
// temporary file exists only during the import (mode 0600) and is gone afterwards, also after a
// refusal, a too large file or an upload cut short; an upload without the CSRF token (API header
// or the form's first field) is refused before its file is read, and no temporary file appears.
// The memory growth of this process during the import is reported, not asserted (the database
// engine shares the process: its memory is not the import's); bench/attendance-import.ts measures it.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ManualClock } from '../../src/clock.js';
import { CSV_HEADER } from '../../src/modules/training/index.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';
import { EVERY_DAY, createCandidate, createTraining } from '../helpers/trainings.js';

// Uploads go to the system's temporary directory: this process gets one of its own, watched below.
const SPOOL = mkdtempSync(path.join(tmpdir(), 'kairos-import-large-'));
process.env.TMPDIR = SPOOL;

const TRAINEES = 50;
const LINES_EACH = 2_000;
const LINES = TRAINEES * LINES_EACH;
const START = '2023-03-06'; // EVERY_DAY from here to the end date: more than 2 000 half-days each, holidays aside
const PERIOD = { am: 'matin', pm: 'apres-midi' } as const;
const identifierOf = (i: number) => `${String(9_100_000 + i)}L`;

/** Each trainee's first LINES_EACH planned half-days, as the file writes them (`dd/mm/yyyy;matin`). */
const halfDays: string[][] = [];

/** The file as a stream of chunks of 1 000 lines; `bad` replaces one file line (the header is line 1). */
function csvStream(bad?: { line: number; text: string }): Readable {
  return Readable.from(
    (function* () {
      yield `${CSV_HEADER}\n`;
      let chunk: string[] = [];
      for (let n = 0; n < LINES; n++) {
        const i = Math.floor(n / LINES_EACH);
        const k = n % LINES_EACH;
        const line = n + 2;
        chunk.push(bad?.line === line ? bad.text : `${identifierOf(i)};SESS-GRAND;${halfDays[i]![k]};${k % 97 === 5 ? 'retard;7;;' : 'present;;;'}`);
        if (chunk.length === 1_000) {
          yield `${chunk.join('\n')}\n`;
          chunk = [];
        }
      }
      if (chunk.length) yield `${chunk.join('\n')}\n`;
    })(),
    { objectMode: false },
  );
}

const leftovers = () => readdirSync(SPOOL);
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

for (const engine of ENGINES) {
  describe(`attendance import of ${LINES} lines (${engine})`, () => {
    let rt: TestRuntime;
    let officer: SignedIn;
    const ids: string[] = [];
    const count = async () => Number((await rt.ctx.db.selectFrom('attendance').select(sql<number>`count(*)`.as('n')).where('training_id', 'in', ids).executeTakeFirstOrThrow()).n);
    const upload = (payload: Readable, headers: Record<string, string> = officer.headers) =>
      rt.app.inject({ method: 'POST', url: '/api/v1/attendance-imports', headers: { ...headers, 'content-type': 'text/csv' }, payload });

    before(async () => {
      rt = await startTestRuntime(engine, { clock: new ManualClock('2026-03-02T08:00:00Z') });
      officer = await signInAs(rt.app, rt.clock, 'assiduite.demo');
      for (let i = 0; i < TRAINEES; i++) {
        await createCandidate(rt.ctx.db, identifierOf(i), `Grand${i}`);
        const { id } = await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: identifierOf(i), startDate: START, endDate: '2026-02-27', session: 'SESS-GRAND', schedule: EVERY_DAY, at: rt.clock.now() });
        const entry = await rt.app.inject({ method: 'POST', url: `/api/v1/trainings/${id}/entry`, headers: officer.headers, payload: { startDate: START } });
        assert.equal(entry.statusCode, 200, entry.body);
        ids.push(id);
        const sessions = await rt.ctx.db.selectFrom('training_session').select(['date', 'period']).where('training_id', '=', id).orderBy('date').orderBy('period').limit(LINES_EACH).execute();
        assert.equal(sessions.length, LINES_EACH);
        halfDays[i] = sessions.map((s) => `${s.date.split('-').reverse().join('/')};${PERIOD[s.period]}`);
      }
    });
    after(() => rt?.stop());

    it(`a bad line at line 99 999 stores nothing, and its temporary file is gone`, { timeout: 600_000 }, async () => {
      const res = await upload(csvStream({ line: 99_999, text: `${identifierOf(49)};SESS-INCONNUE;02/01/2026;matin;present;;;` }));
      assert.equal(res.statusCode, 422, res.body.slice(0, 500));
      assert.deepEqual(
        res.json().errors.map((e: { line: number; field: string }) => [e.line, e.field]),
        [[99_999, 'identifiant_candidat']],
      );
      assert.equal(await count(), 0, 'nothing stored');
      assert.deepEqual(leftovers(), []);
    });

    it(`imports ${LINES} lines whole; the temporary file is 0600 meanwhile and gone afterwards; memory reported`, { timeout: 600_000 }, async (t) => {
      global.gc?.();
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakHeap = before.heapUsed;
      const modes = new Set<number>();
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
        for (const dir of leftovers()) for (const f of readdirSync(path.join(SPOOL, dir))) modes.add(statSync(path.join(SPOOL, dir, f)).mode & 0o777);
      }, 20);
      const began = performance.now();
      const res = await upload(csvStream());
      const ms = performance.now() - began;
      clearInterval(sampler);
      assert.equal(res.statusCode, 200, res.body.slice(0, 500));
      assert.deepEqual(res.json(), { imported: LINES });
      assert.equal(await count(), LINES);
      const late = await rt.ctx.db.selectFrom('attendance').select(sql<number>`count(*)`.as('n')).where('training_id', 'in', ids).where('late_minutes', '=', 7).executeTakeFirstOrThrow();
      assert.equal(Number(late.n), TRAINEES * Math.ceil((LINES_EACH - 5) / 97));
      assert.deepEqual([...modes], [0o600], 'the upload was on disk, readable by this user only');
      assert.deepEqual(leftovers(), []);
      t.diagnostic(`${engine}: ${LINES} lines in ${ms.toFixed(0)} ms (${Math.round(LINES / (ms / 1000))} lines/s); rss ${mib(before.rss)} → peak ${mib(peakRss)} (+${mib(peakRss - before.rss)}), heap used peak +${mib(peakHeap - before.heapUsed)}`);
    });

    it('lists the first 1 000 refused lines and says how many there are in all', async () => {
      const lines = [CSV_HEADER, ...Array.from({ length: 1_500 }, (_, i) => `${identifierOf(0)};SESS-GRAND;${halfDays[0]![i]!.replace(/;.*/, '')};soir;present;;;`)];
      const res = await upload(Readable.from([lines.join('\n')]));
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().errors.length, 1_000);
      assert.equal(res.json().errors[999].line, 1_001);
      assert.match(res.json().detail, /1\s500 erreurs : seules les 1\s000 premières sont listées/);
      assert.deepEqual(leftovers(), []);
    });

    it('refuses a file over the size limit (413 in French), and one cut short; no temporary file stays', async () => {
      const big = Readable.from(
        (function* () {
          yield `${CSV_HEADER}\n`;
          const block = `${identifierOf(0)};SESS-GRAND;02/01/2026;matin;present;;;\n`.repeat(10_000);
          for (let i = 0; i < 60; i++) yield block; // about 36 MB, past the 24 MB cap
        })(),
      );
      const tooLarge = await upload(big).catch((err: Error) => err);
      if (tooLarge instanceof Error) throw tooLarge;
      assert.equal(tooLarge.statusCode, 413, tooLarge.body.slice(0, 300));
      assert.match(tooLarge.json().detail, /Le fichier dépasse 24 Mo : découpez-le/);
      assert.deepEqual(leftovers(), []);
      const cut = new Readable({ read() {} });
      cut.push(`${CSV_HEADER}\n${identifierOf(0)};SESS-GRAND;02/01/2026;matin;present;;;\n`);
      setTimeout(() => cut.destroy(new Error('connexion coupée')), 50);
      const answer = await upload(cut).catch((err: Error) => err);
      assert.ok(answer instanceof Error || answer.statusCode >= 400, 'an upload cut short is not imported');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(leftovers(), []);
      assert.equal(await count(), LINES, 'still the earlier import, nothing more');
    });

    it('refuses an upload without the CSRF token before reading its file: no temporary file, over real HTTP', async () => {
      await rt.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = rt.app.server.address() as AddressInfo;
      /** Sends the head and `first` bytes of a body of `length`; answers as soon as the server does, never sending the rest. */
      const send = (url: string, headers: Record<string, string>, first: string, length: number) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port, path: url, method: 'POST', headers: { ...headers, 'content-length': String(length) } }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => {
              req.destroy();
              resolve({ status: res.statusCode ?? 0, body });
            });
          });
          req.on('error', reject);
          req.flushHeaders();
          if (first) req.write(first);
        });
      // The API: the session cookie without the X-CSRF-Token header; not a byte of the body sent.
      const api = await send('/api/v1/attendance-imports', { cookie: officer.cookie, 'content-type': 'text/csv' }, '', 5_000_000);
      assert.equal(api.status, 403, api.body);
      assert.match(api.body, /CSRF/);
      // No session at all: refused the same way, before the body.
      assert.equal((await send('/api/v1/attendance-imports', { 'content-type': 'text/csv' }, '', 5_000_000)).status, 401);
      // The page's form: a made-up `_csrf` field, then the file part's head, and the file never sent.
      const boundary = '----kairosTest';
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\njeton-invente-par-un-site-tiers\r\n--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="grand.csv"\r\nContent-Type: text/csv\r\n\r\n`;
      const page = await send('/kairos/assiduite/import', { cookie: officer.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, head, 5_000_000);
      assert.equal(page.status, 403, page.body.slice(0, 300));
      assert.deepEqual(leftovers(), [], 'no temporary file was created');
      assert.equal(await count(), LINES);
    });
  });
}
