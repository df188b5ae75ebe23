// Spreadsheet exports (docs/product/exports.md): the eight URLs answer the list's own rows for
// the same filters (every page), as French CSV or typed XLSX; formula-like text is neutralised;
// access is the list's (401, 403, another organisation's data never appears); a bad filter is a
// 422 that exports and audits nothing; each export writes one audit row without personal data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { parisDay } from '../../src/modules/onboarding/rules.js';
import { addDays, isoWeekday } from '../../src/modules/quotes/rules/holidays.js';
import { csvRecords, xlsxRecords, xlsxSheet } from '../helpers/exports.js';
import { apiCall, expectJson, signInEach } from '../helpers/fixtures.js';
import { validQuote } from '../helpers/quotes.js';
import { ENGINES, startTestRuntime, type TestRuntime } from '../helpers/runtime.js';
import type { SignedIn } from '../helpers/session.js';
import { createCandidate, createTraining, grantKairosRole } from '../helpers/trainings.js';

const SESSION = 'SE_EXPORT_0001';
const SESSION_B = 'SE_EXPORT_B001';
const FORMULA_TITLE = '=HYPERLINK("http://evil.example/?a=1;b","clic")';
const CSV_TYPE = 'text/csv; charset=utf-8';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const LOGINS = ['devis.demo', 'assiduite.demo', 'conseiller.demo', 'admin.agence', 'rgc.demo', 'devis.demo2', 'candidat.demo', 'formateur.demo'] as const;

for (const engine of ENGINES) {
  describe(`exports (${engine})`, () => {
    let rt: TestRuntime;
    let as: Record<string, SignedIn>;
    let start = '';
    let month = '';
    const trainingIds: string[] = [];

    const get = (who: string | null, url: string) => apiCall(rt.app, who ? as[who]! : null, 'GET', url);
    const exportsAudited = async () => (await rt.ctx.db.selectFrom('audit_log').select(['details', 'actor_login']).where('action', '=', 'data.exported').orderBy('id').execute());
    /** Every row of a list API, page after page, as `key` picks it. */
    async function allPages(who: string, url: string, key: 'quotes' | 'trainings'): Promise<Array<{ id: string }>> {
      const out: Array<{ id: string }> = [];
      for (let page = 1; ; page++) {
        const body = await expectJson<Record<string, Array<{ id: string }>>>(await get(who, `${url}${url.includes('?') ? '&' : '?'}page=${page}`), 200, url);
        out.push(...body[key]!);
        if (body[key]!.length < 20) return out;
      }
    }
    function assertFile(res: LightMyRequestResponse, kind: string, ext: 'csv' | 'xlsx') {
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      assert.equal(res.headers['content-type'], ext === 'csv' ? CSV_TYPE : XLSX_TYPE);
      assert.equal(res.headers['content-disposition'], `attachment; filename="kairos-${kind}-${parisDay(rt.clock.now())}.${ext}"`);
      assert.equal(res.headers['cache-control'], 'no-store');
    }

    before(async () => {
      rt = await startTestRuntime(engine);
      as = await signInEach(rt, LOGINS);
      await grantKairosRole(rt.ctx.db, 'devis.demo2', 'attendance_officer');
      as['devis.demo2'] = (await signInEach(rt, ['devis.demo2']))['devis.demo2']!;
      const today = parisDay(rt.clock.now());
      start = addDays(today, -40);
      while (isoWeekday(start) !== 1) start = addDays(start, 1);
      month = start.slice(0, 7);
      // 22 trainees of A in one session: more than a page (20) of either list.
      const titles = ['+1 Formation', '-2 Formation', '@SUM(A1)', 'Formation « Développeur ; web »'];
      for (let i = 0; i < 22; i++) {
        const identifier = `${String(8_800_000 + i)}E`;
        await createCandidate(rt.ctx.db, identifier, `Exportable${String(i).padStart(2, '0')}`, 'Camille');
        trainingIds.push((await createTraining(rt.ctx.db, { organisation: 'Formapro Démo', candidate: identifier, startDate: start, endDate: addDays(start, 60), session: SESSION, ...(titles[i] ? { title: titles[i] } : {}) })).id);
      }
      await createCandidate(rt.ctx.db, '8899999B', 'Secretdeb', 'Dominique');
      await createTraining(rt.ctx.db, { organisation: 'Atelier Compétences Démo', candidate: '8899999B', startDate: start, endDate: addDays(start, 60), session: SESSION_B });
      // A draft whose title, typed in the editor, reads as a formula, with a `;` and quotes to escape.
      const draft = validQuote(today);
      await expectJson(await apiCall(rt.app, as['devis.demo']!, 'POST', '/api/v1/quotes', { ...draft, training: { ...draft.training, title: FORMULA_TITLE } }), 201, 'draft');
      // Two trainees entered, their first morning late and afternoon absent for the first.
      for (const id of trainingIds.slice(0, 2)) await expectJson(await apiCall(rt.app, as['assiduite.demo']!, 'POST', `/api/v1/trainings/${id}/entry`, { startDate: start }), 200, 'entry');
      const entries = [
        { date: start, period: 'am', status: 'late', lateMinutes: 15 },
        { date: start, period: 'pm', status: 'absent', reason: 'sickness', justified: true },
      ];
      await expectJson(await apiCall(rt.app, as['assiduite.demo']!, 'PUT', `/api/v1/trainings/${trainingIds[0]}/attendance`, { entries }), 200, 'attendance');
    });
    after(() => rt?.stop());

    it('quotes.csv: every quote of the list (all pages, same order, same filters), as French CSV', async () => {
      for (const filter of ['', '?status=approved', '?q=exportable0', '?erreurs=oui']) {
        const listed = await allPages('devis.demo', `/api/v1/quotes${filter}`, 'quotes');
        const res = await get('devis.demo', `/api/v1/exports/quotes.csv${filter}`);
        assertFile(res, 'quotes', 'csv');
        assert.deepEqual(csvRecords(res).map((r) => r['Référence du devis']), listed.map((q) => q.id), `filter ${filter}`);
      }
      const res = await get('devis.demo', '/api/v1/exports/quotes.csv');
      const text = res.rawPayload.toString('utf8');
      assert.ok(text.startsWith('\uFEFFRéférence du devis;Type;Statut;Version;'), 'BOM, then the French header with `;`');
      assert.ok(text.includes('\r\n'), 'CRLF line ends');
      const row = csvRecords(res).find((r) => r['Nom'] === 'Exportable05')!;
      assert.match(row['Début']!, /^\d{2}\/\d{2}\/\d{4}$/);
      assert.equal(row['Début'], start.split('-').reverse().join('/'));
      assert.equal(row['Taux horaire (€)'], '12,50', 'decimal comma, amounts in euros from cents');
      assert.match(row['Coût pédagogique (€)']!, /^\d+,\d{2}$/);
      assert.equal(row['Statut'], 'validé par le conseiller');
      // The cell with `;` and quotes is quoted as RFC 4180 asks (the parser above reads it back whole).
      assert.ok(text.includes(`"'=HYPERLINK(""http://evil.example/?a=1;b"",""clic"")"`), 'quoted, quotes doubled, formula neutralised');
    });

    it('formula-like text starts with an apostrophe, in CSV and in XLSX', async () => {
      const csv = csvRecords(await get('devis.demo', '/api/v1/exports/quotes.csv'));
      const titles = csv.map((r) => r['Intitulé de la formation']);
      for (const t of [FORMULA_TITLE, '+1 Formation', '-2 Formation', '@SUM(A1)']) assert.ok(titles.includes(`'${t}`), `CSV neutralises ${t}`);
      assert.ok(titles.includes('Formation « Développeur ; web »'), 'other text is left alone');
      const xlsx = await xlsxRecords(await get('devis.demo', '/api/v1/exports/quotes.xlsx'));
      const xTitles = xlsx.map((r) => r['Intitulé de la formation']);
      for (const t of [FORMULA_TITLE, '+1 Formation', '-2 Formation', '@SUM(A1)']) assert.ok(xTitles.includes(`'${t}`), `XLSX neutralises ${t}`);
      const trainings = csvRecords(await get('assiduite.demo', '/api/v1/exports/trainings.csv'));
      assert.ok(trainings.some((r) => r['Formation'] === "'+1 Formation"), 'training title neutralised');
    });

    it('quotes.xlsx: the same rows, typed cells, bold frozen header', async () => {
      const res = await get('devis.demo', '/api/v1/exports/quotes.xlsx?status=approved');
      assertFile(res, 'quotes', 'xlsx');
      const sheet = await xlsxSheet(res);
      assert.equal(sheet.views[0]?.state, 'frozen');
      assert.equal((sheet.views[0] as { ySplit?: number }).ySplit, 1);
      assert.equal(sheet.getRow(1).getCell(1).font?.bold, true);
      assert.ok((sheet.getColumn(1).width ?? 0) >= 20, 'columns sized');
      const rows = await xlsxRecords(res);
      const listed = await allPages('devis.demo', '/api/v1/quotes?status=approved', 'quotes');
      assert.deepEqual(rows.map((r) => r['Référence du devis']), listed.map((q) => q.id));
      const row = rows.find((r) => r['Nom'] === 'Exportable05')!;
      assert.equal(row['Version'], 1);
      assert.equal(row['Taux horaire (€)'], 12.5, 'a number, in euros');
      assert.ok(row['Début'] instanceof Date, 'a date');
      assert.equal((row['Début'] as Date).toISOString().slice(0, 10), start);
      assert.equal(typeof row['Nom'], 'string');
      assert.equal(sheet.getRow(2).getCell(11).numFmt, 'dd/mm/yyyy');
    });

    it('trainings.csv/.xlsx: the list’s rows for the same filters, and an advisor’s own trainees', async () => {
      for (const [who, filter] of [['assiduite.demo', ''], ['assiduite.demo', `?session=${SESSION}`], ['assiduite.demo', '?status=in_progress'], ['conseiller.demo', '']] as const) {
        const listed = (await allPages(who, `/api/v1/trainings${filter}`, 'trainings')).map((t) => t.id);
        const csv = await get(who, `/api/v1/exports/trainings.csv${filter}`);
        assertFile(csv, 'trainings', 'csv');
        assert.deepEqual(csvRecords(csv).map((r) => r['Référence de la formation']), listed, `${who} ${filter}`);
        const xlsx = await get(who, `/api/v1/exports/trainings.xlsx${filter}`);
        assertFile(xlsx, 'trainings', 'xlsx');
        assert.deepEqual((await xlsxRecords(xlsx)).map((r) => r['Référence de la formation']), listed);
      }
      const entered = csvRecords(await get('assiduite.demo', '/api/v1/exports/trainings.csv?status=in_progress'));
      assert.equal(entered.length, 2);
      assert.equal(entered[0]!['Statut'], 'en cours');
      assert.equal(entered[0]!['Entrée'], start.split('-').reverse().join('/'));
    });

    it('attendance.csv/.xlsx: one row per trainee and planned half-day of the month, as the grid has it', async () => {
      const res = await get('assiduite.demo', `/api/v1/exports/attendance.csv?session=${SESSION}&month=${month}`);
      assertFile(res, 'attendance', 'csv');
      const rows = csvRecords(res);
      const grid = await expectJson<{ halfDays: Array<{ date: string; period: string }> }>(await get('assiduite.demo', `/api/v1/trainings/${trainingIds[0]}/attendance?month=${month}`), 200, 'grid');
      const first = rows.filter((r) => r['Nom'] === 'Exportable00');
      assert.equal(first.length, grid.halfDays.length);
      assert.equal(rows.length, 2 * grid.halfDays.length, 'the two entered trainees, nobody else');
      const day = start.split('-').reverse().join('/');
      assert.deepEqual(
        first.slice(0, 2).map((r) => [r['Date'], r['Demi-journée'], r['Statut'], r['Retard (minutes)'], r['Motif d’absence'], r['Justifiée']]),
        [
          [day, 'matin', 'en retard', '15', '', ''],
          [day, 'après-midi', 'absent', '', 'maladie', 'oui'],
        ],
      );
      assert.equal(first[2]!['Statut'], 'non déclaré');
      const xlsx = await get('assiduite.demo', `/api/v1/exports/attendance.xlsx?session=${SESSION}&month=${month}`);
      assertFile(xlsx, 'attendance', 'xlsx');
      const x = (await xlsxRecords(xlsx)).filter((r) => r['Nom'] === 'Exportable00');
      assert.equal(x[0]!['Retard (minutes)'], 15);
      assert.ok(x[0]!['Date'] instanceof Date, 'a date');
    });

    it('statistics.csv/.xlsx: the caller’s dashboard figures, one row each', async () => {
      for (const who of ['devis.demo', 'assiduite.demo', 'admin.agence', 'conseiller.demo', 'formateur.demo']) {
        const dashboard = await expectJson<{ organisation: { todo: Array<{ label: string; count: number }> } | null; advisor: { todo: Array<{ label: string; count: number }> } | null; agency: { todo: Array<{ label: string; count: number }> } | null; trainer: { todo: Array<{ label: string; count: number }> } | null }>(
          await get(who, '/api/v1/dashboard'),
          200,
          'dashboard',
        );
        const res = await get(who, '/api/v1/exports/statistics.csv');
        assertFile(res, 'statistics', 'csv');
        const rows = csvRecords(res);
        const todo = dashboard.organisation?.todo ?? dashboard.advisor?.todo ?? dashboard.agency?.todo ?? dashboard.trainer?.todo ?? [];
        for (const t of todo) assert.ok(rows.some((r) => r['Indicateur'] === 'À faire' && r['Libellé'] === t.label && r['Valeur'] === String(t.count)), `${who}: ${t.label}`);
        const xlsx = await get(who, '/api/v1/exports/statistics.xlsx');
        assertFile(xlsx, 'statistics', 'xlsx');
        assert.equal((await xlsxRecords(xlsx)).length, rows.length);
        assert.ok(rows.every((r) => !/Exportable|Camille/.test(Object.values(r).join(' '))), 'no trainee named');
      }
      const quotesByStatus = csvRecords(await get('devis.demo', '/api/v1/exports/statistics.csv')).find((r) => r['Indicateur'] === 'Devis par statut' && r['Libellé'] === 'validé par le conseiller');
      assert.ok(Number(quotesByStatus?.['Valeur']) >= 22, `approved quotes: ${quotesByStatus?.['Valeur']}`);
    });

    it('« Exporter » links on the pages carry the current filters, and the session cookie downloads them', async () => {
      const pages: Array<[string, string, RegExp]> = [
        ['devis.demo', '/devis?status=approved&q=Exportable', /href="(\/api\/v1\/exports\/quotes\.csv\?status=approved&amp;q=Exportable)"/],
        ['devis.demo', '/devis?status=bogus', /href="(\/api\/v1\/exports\/quotes\.xlsx)"/],
        ['assiduite.demo', '/kairos/formations?status=in_progress', /href="(\/api\/v1\/exports\/trainings\.csv\?status=in_progress)"/],
        ['assiduite.demo', `/kairos/assiduite?session=${SESSION}&mois=${month}`, new RegExp(`href="(/api/v1/exports/attendance\\.xlsx\\?session=${SESSION}&amp;month=${month})"`)],
        ['admin.agence', '/kairos?tri=nom', /href="(\/api\/v1\/exports\/statistics\.csv\?tri=nom)"/],
        ['devis.demo', '/kairos', /href="(\/api\/v1\/exports\/statistics\.xlsx)"/],
      ];
      for (const [who, page, link] of pages) {
        const html = (await rt.app.inject({ method: 'GET', url: page, headers: { cookie: as[who]!.cookie } })).body;
        const href = link.exec(html)?.[1]?.replace(/&amp;/g, '&');
        assert.ok(href, `${page}: export link ${link}`);
        assert.match(html, /Exporter \(CSV\)/);
        const file = await rt.app.inject({ method: 'GET', url: href, headers: { cookie: as[who]!.cookie } });
        assert.equal(file.statusCode, 200, `${href}: ${file.body.slice(0, 200)}`);
        assert.match(String(file.headers['content-disposition']), /^attachment; filename="kairos-/);
      }
    });

    const URLS = ['quotes', 'trainings', 'attendance', 'statistics'].flatMap((k) => ['csv', 'xlsx'].map((f) => `/api/v1/exports/${k}.${f}?${k === 'attendance' ? `session=${SESSION}&month=2026-01` : ''}`));

    it('401 without a session, 403 for a role that cannot read the list', async () => {
      for (const url of URLS) assert.equal((await get(null, url)).statusCode, 401, url);
      for (const url of URLS) assert.equal((await get('candidat.demo', url)).statusCode, 403, url);
      const refused: Array<[string, string]> = [
        ['assiduite.demo', 'quotes'],
        ['formateur.demo', 'quotes'],
        ['devis.demo', 'trainings'],
        ['rgc.demo', 'trainings'],
        ['conseiller.demo', 'attendance'],
        ['devis.demo', 'attendance'],
        ['rgc.demo', 'statistics'],
      ];
      for (const [who, kind] of refused) {
        for (const url of URLS.filter((u) => u.includes(`/${kind}.`))) {
          const res = await get(who, url);
          assert.equal(res.statusCode, 403, `${who} ${url}`);
          assert.ok(!res.headers['content-disposition'], `no file for ${url}`);
        }
      }
    });

    it('another organisation’s session or rows: an empty export, nothing of A leaked', async () => {
      const attendance = await get('devis.demo2', `/api/v1/exports/attendance.csv?session=${SESSION}&month=${month}`);
      assert.equal(attendance.statusCode, 200);
      assert.equal(csvRecords(attendance).length, 0);
      const trainings = await get('devis.demo2', `/api/v1/exports/trainings.xlsx?session=${SESSION}`);
      assert.equal((await xlsxRecords(trainings)).length, 0);
      const quotes = await get('devis.demo2', '/api/v1/exports/quotes.csv');
      assert.doesNotMatch(quotes.rawPayload.toString('utf8'), /Exportable|Martin|evil\.example/);
      const own = csvRecords(await get('devis.demo2', `/api/v1/exports/trainings.csv?session=${SESSION_B}`));
      assert.deepEqual(own.map((r) => r['Nom']), ['Secretdeb']);
      assert.doesNotMatch((await get('devis.demo', '/api/v1/exports/quotes.csv')).rawPayload.toString('utf8'), /Secretdeb/);
      assert.doesNotMatch((await get('assiduite.demo', '/api/v1/exports/trainings.csv')).rawPayload.toString('utf8'), /Secretdeb/);
    });

    it('a bad filter is a 422 in French naming the field; nothing exported, nothing audited', async () => {
      const before = (await exportsAudited()).length;
      const cases: Array<[string, string, string]> = [
        ['devis.demo', '/api/v1/exports/quotes.csv?status=bogus', 'status'],
        ['devis.demo', '/api/v1/exports/quotes.xlsx?unknown=1', 'unknown'],
        ['assiduite.demo', '/api/v1/exports/trainings.csv?overdue=maybe', 'overdue'],
        ['assiduite.demo', `/api/v1/exports/attendance.csv?session=${SESSION}&month=2026-13`, 'month'],
        ['assiduite.demo', '/api/v1/exports/attendance.xlsx?month=2026-01', 'session'],
        ['admin.agence', '/api/v1/exports/statistics.csv?tri=bogus', 'tri'],
      ];
      for (const [who, url, field] of cases) {
        const res = await get(who, url);
        assert.equal(res.statusCode, 422, url);
        const body = res.json() as { errors: Array<{ field: string; message: string }> };
        assert.ok(body.errors.some((e) => e.field === field && (field === 'unknown' || e.message.includes(`(${field})`))), `${url}: ${res.body}`);
        assert.ok(!res.headers['content-disposition'], `no file for ${url}`);
      }
      assert.equal((await exportsAudited()).length, before);
    });

    it('each export writes one audit row: who, kind, format, filters, row count — no personal data', async () => {
      const before = (await exportsAudited()).length;
      await get('devis.demo', '/api/v1/exports/quotes.xlsx?status=approved&q=Exportable');
      const rows = await exportsAudited();
      assert.equal(rows.length, before + 1);
      const last = rows.at(-1)!;
      assert.equal(last.actor_login, 'devis.demo');
      const details = last.details as Record<string, unknown>;
      assert.deepEqual({ kind: details.kind, format: details.format, filters: details.filters }, { kind: 'quotes', format: 'xlsx', filters: { status: 'approved', search: true, erreurs: null } });
      assert.equal(details.rows, 22);
      assert.doesNotMatch(JSON.stringify(details), /Exportable|Camille/);
    });
  });
}
