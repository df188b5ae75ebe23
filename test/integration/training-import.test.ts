// The attendance CSV import: a valid 10 000-line file of an organisation; a file
// with errors on several lines (every one reported with its line number, nothing stored); BOM;
// wrong separator; wrong header; wrong encoding; locked months; another organisation's trainee.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { ManualClock } from '../../src/clock.js';
import { CSV_HEADER } from '../../src/modules/training/index.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import { signInAs, type SignedIn } from '../helpers/session.js';
import { EVERY_DAY, createCandidate, createTraining } from '../helpers/trainings.js';

const TRAINEES = 20;
const LINES_EACH = 500;
const fr = (iso: string) => iso.split('-').reverse().join('/');
const PERIOD = { am: 'matin', pm: 'apres-midi' } as const;

for (const engine of ENGINES) {
  describe(`attendance CSV import (${engine})`, () => {
    let rt: TestRuntime;
    let officer: SignedIn;
    let other: SignedIn;
    const ids: string[] = [];
    let small = ''; // 1234567A, SESS-SMALL, 2 → 27 February 2026, weekdays

    const upload = (body: string | Buffer, who: SignedIn = officer, type = 'text/csv; charset=utf-8'): Promise<LightMyRequestResponse> =>
      rt.app.inject({ method: 'POST', url: '/api/v1/attendance-imports', headers: { ...who.headers, 'content-type': type }, payload: body });
    const attendanceCount = async () => Number((await rt.ctx.db.selectFrom('attendance').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      rt = await startTestRuntime(engine, { clock: new ManualClock('2026-03-02T08:00:00Z') });
      officer = await signInAs(rt.app, rt.clock, 'assiduite.demo');
      for (let i = 0; i < TRAINEES; i++) {
        const identifier = `${String(9_000_000 + i)}K`;
        await createCandidate(rt.ctx.db, identifier, `Stagiaire${i}`);
        const { id } = await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: identifier, startDate: '2025-01-06', endDate: '2026-02-27', session: 'SESS-LONG', schedule: EVERY_DAY, at: rt.clock.now() });
        ids.push(id);
      }
      small = (await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: '1234567A', startDate: '2026-02-02', endDate: '2026-02-27', session: 'SESS-SMALL', at: rt.clock.now() })).id;
      await createTraining(rt.ctx.db, { organisation: 'Atelier Compétences Démo', candidate: '7654321B', startDate: '2026-02-02', endDate: '2026-02-27', session: 'SESS-ATELIER', at: rt.clock.now() });
      for (const id of [...ids, small]) {
        const res = await rt.app.inject({ method: 'POST', url: `/api/v1/trainings/${id}/entry`, headers: officer.headers, payload: { startDate: id === small ? '2026-02-02' : '2025-01-06' } });
        assert.equal(res.statusCode, 200, res.body);
      }
      // devis.demo2 of the other organisation, made attendance officer there.
      const acc = await rt.ctx.db.selectFrom('account').select(['id', 'organisation_id']).where('login', '=', 'rgc.demo2').executeTakeFirstOrThrow();
      await rt.ctx.db.insertInto('habilitation').values({ account_id: acc.id, organisation_id: acc.organisation_id!, application: 'kairos', role: 'attendance_officer', granted_by: null }).execute();
      other = await signInAs(rt.app, rt.clock, 'rgc.demo2');
    });
    after(() => rt?.stop());

    it('refuses a file with errors on several lines: every one reported with its line number, nothing stored', async () => {
      const lines = [
        CSV_HEADER,
        '1234567A;SESS-SMALL;02/02/2026;matin;present;;;', // 2: fine
        '1234567A;SESS-SMALL;02/02/2026;apres-midi;retard;;;', // 3: lateness without minutes
        '1234567A;SESS-SMALL;30/01/2026;matin;present;;;', // 4: before the training
        '1234567A;SESS-NOPE;03/02/2026;matin;present;;;', // 5: no such training
        '7654321B;SESS-ATELIER;03/02/2026;matin;present;;;', // 6: another organisation's trainee
        '1234567A;SESS-SMALL;07/02/2026;matin;present;;;', // 7: a Saturday
        '1234567A;SESS-SMALL;02/02/2026;matin;absent;;maladie;oui', // 8: duplicate of line 2
        '1234567A;SESS-SMALL;03/02/2026;soir;present;;;', // 9: bad half-day
        '', // 10: blank, ignored
        '1234567A;SESS-SMALL;04/02/2026;matin;absent;;injustifiee;oui', // 11: contradiction
      ];
      const res = await upload(lines.join('\n'));
      assert.equal(res.statusCode, 422, res.body);
      const body = res.json();
      assert.match(body.detail, /Rien n’a été enregistré/);
      assert.deepEqual(body.errors.map((e: { line: number; field: string }) => [e.line, e.field]), [
        [3, 'minutes_retard'], [4, 'date'], [5, 'identifiant_candidat'], [6, 'identifiant_candidat'], [7, 'demi_journee'], [8, 'date'], [9, 'demi_journee'], [11, 'justifie'],
      ]);
      const message = (line: number) => body.errors.find((e: { line: number }) => e.line === line).message;
      assert.match(message(4), /en dehors de la formation/);
      assert.equal(message(5).replace('SESS-NOPE', 'X'), message(6).replace('SESS-ATELIER', 'X').replace('7654321B', '1234567A'), 'another organisation’s trainee looks unknown');
      assert.match(message(8), /déjà à la ligne 2/);
      assert.doesNotMatch(res.body, /Bernard|Atelier/);
      assert.equal(await attendanceCount(), 0);
    });

    it('refuses a wrong separator, a wrong header, another encoding, an empty file, JSON', async () => {
      const cases: Array<[string | Buffer, number, RegExp, string?]> = [
        [`${CSV_HEADER.replace(/;/g, ',')}\n1234567A,SESS-SMALL,02/02/2026,matin,present,,,`, 422, /Séparateur : le fichier utilise « , »/],
        [`${CSV_HEADER.replace('motif', 'raison')}\n1234567A;SESS-SMALL;02/02/2026;matin;present;;;`, 422, /La colonne 7 devrait s’appeler « motif »/],
        [Buffer.from(`${CSV_HEADER}\n1234567A;SESS-SMALL;02/02/2026;matin;présent;;;`, 'latin1'), 422, /UTF-8/],
        ['', 422, /vide/],
        [CSV_HEADER, 422, /que l’en-tête/],
        ['{"lines":[]}', 415, /text\/csv/, 'application/json'],
      ];
      for (const [body, status, pattern, type] of cases) {
        const res = await upload(body, officer, type);
        assert.equal(res.statusCode, status, res.body);
        assert.match(JSON.stringify(res.json()), pattern);
      }
      assert.equal(await attendanceCount(), 0);
    });

    it('accepts a file with a BOM and Windows line ends; the other organisation cannot touch it', async () => {
      const text = `\uFEFF${CSV_HEADER}\r\n1234567A;SESS-SMALL;02/02/2026;matin;present;;;\r\n1234567A;SESS-SMALL;02/02/2026;apres-midi;absent;;rdv_agence;oui\r\n`;
      const res = await upload(text);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { imported: 2 });
      const theirs = await upload(text, other);
      assert.equal(theirs.statusCode, 422);
      assert.equal(theirs.json().errors[0].field, 'identifiant_candidat');
      assert.equal(await attendanceCount(), 2);
    });

    it('an Idempotency-Key replays the answer for the same file and refuses it for another (the file on disk is judged by its content)', async () => {
      const send = (text: string) => rt.app.inject({ method: 'POST', url: '/api/v1/attendance-imports', headers: { ...officer.headers, 'content-type': 'text/csv', 'idempotency-key': 'import-fevrier-1' }, payload: text });
      const text = `${CSV_HEADER}\n1234567A;SESS-SMALL;02/02/2026;matin;present;;;\n`;
      const first = await send(text);
      assert.equal(first.statusCode, 200, first.body);
      const again = await send(text);
      assert.deepEqual([again.statusCode, again.body, again.headers['idempotent-replayed']], [200, first.body, 'true']);
      const other = await send(`${CSV_HEADER}\n1234567A;SESS-SMALL;02/02/2026;matin;retard;5;;\n`);
      assert.equal(other.statusCode, 422, other.body);
      assert.equal(other.json().errors[0].field, 'Idempotency-Key');
    });

    it('a line in a locked month is refused with a 409 naming it', async () => {
      const rest: string[] = [];
      for (const s of await rt.ctx.db.selectFrom('training_session').select(['date', 'period']).where('training_id', '=', small).orderBy('date').orderBy('period').execute()) {
        if (s.date !== '2026-02-02') rest.push(`1234567A;SESS-SMALL;${fr(s.date)};${PERIOD[s.period]};present;;;`);
      }
      assert.equal((await upload([CSV_HEADER, ...rest].join('\n'))).statusCode, 200);
      const submitted = await rt.app.inject({ method: 'POST', url: `/api/v1/trainings/${small}/statements/2026-02/submit`, headers: officer.headers });
      assert.equal(submitted.statusCode, 200, submitted.body);
      const res = await upload(`${CSV_HEADER}\n1234567A;SESS-SMALL;03/02/2026;matin;retard;10;;`);
      assert.equal(res.statusCode, 409, res.body);
      assert.deepEqual(res.json().errors.map((e: { line: number; field: string }) => [e.line, e.field]), [[2, 'date']]);
      assert.match(res.json().errors[0].message, /février 2026 est verrouillé/);
    });

    it(`imports a valid ${TRAINEES * LINES_EACH}-line file of the organisation, all at once`, async () => {
      const before = await attendanceCount();
      const lines = [CSV_HEADER];
      for (let i = 0; i < TRAINEES; i++) {
        const sessions = await rt.ctx.db.selectFrom('training_session').select(['date', 'period']).where('training_id', '=', ids[i]).orderBy('date').orderBy('period').limit(LINES_EACH).execute();
        sessions.forEach((s, n) => {
          const cells = n % 50 === 7 ? 'retard;12;;' : n % 50 === 21 ? 'absent;;maladie;oui' : 'present;;;';
          lines.push(`${String(9_000_000 + i)}K;SESS-LONG;${fr(s.date)};${PERIOD[s.period]};${cells}`);
        });
      }
      assert.equal(lines.length - 1, 10_000);
      const res = await upload(lines.join('\n'));
      assert.equal(res.statusCode, 200, res.body.slice(0, 500));
      assert.deepEqual(res.json(), { imported: 10_000 });
      assert.equal(await attendanceCount(), before + 10_000);
      const audit = await rt.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'attendance.imported').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal((audit.details as { lines: number; trainings: number }).lines, 10_000);
      assert.equal((audit.details as { lines: number; trainings: number }).trainings, TRAINEES);
      // Importing the same file again replaces the same half-days: nothing doubles.
      assert.equal((await upload(lines.join('\n'))).statusCode, 200);
      assert.equal(await attendanceCount(), before + 10_000);
    });
  });
}
