// Reading exports back in tests: CSV as RFC 4180 with `;` (the format Kairos writes), XLSX with exceljs.
import type { LightMyRequestResponse } from 'fastify';

/** The cells of a CSV body, BOM removed; fails on unbalanced quotes. */
export function parseCsv(body: string): string[][] {
  const text = body.startsWith('\uFEFF') ? body.slice(1) : body;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ';') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else cell += c;
  }
  if (quoted) throw new Error('unbalanced quotes in CSV');
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

/** The CSV as objects keyed by its French header. */
export function csvRecords(res: LightMyRequestResponse): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(res.rawPayload.toString('utf8'));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

/** The first worksheet of an XLSX answer. */
export async function xlsxSheet(res: LightMyRequestResponse) {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

/** An XLSX sheet as rows of raw cell values keyed by its header (row 1). */
export async function xlsxRecords(res: LightMyRequestResponse): Promise<Array<Record<string, unknown>>> {
  const sheet = await xlsxSheet(res);
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Array<Record<string, unknown>> = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    out.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).value ?? null])));
  });
  return out;
}
