/**
 * XLSX with exceljs, loaded at the first export (it weighs on start-up; see
 * test/integration/start-build.test.ts). Cells are typed: numbers as numbers, days as dates with
 * a French format, text as text, still passed through the formula rule so that a copy of the
 * sheet to CSV stays safe (docs/decisions/0047-exports.md). Header bold and frozen.
 */
import { dayOf, neutralise, type CellType, type CellValue, type Table } from './columns.js';

const FORMATS: Partial<Record<CellType, string>> = {
  integer: '0',
  decimal: '0.00',
  money: '#,##0.00 "€"',
  rate: '0.0%',
  date: 'dd/mm/yyyy',
};

function cellOf(type: CellType, value: CellValue): string | number | Date | null {
  if (value === null || value === '') return null;
  if (type === 'date') {
    const [y, m, d] = dayOf(value as string | Date).split('-').map(Number) as [number, number, number];
    // Midnight UTC: exceljs writes the serial day of that instant, so the sheet shows that very day.
    return new Date(Date.UTC(y, m - 1, d));
  }
  if (typeof value === 'number') return type === 'money' ? value / 100 : value;
  return neutralise(String(value));
}

export async function toXlsx<R>(table: Table<R>): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Kairos';
  const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c, i) => ({ key: String(i), width: c.width, style: FORMATS[c.type] ? { numFmt: FORMATS[c.type] } : {} }));
  const header = sheet.addRow(table.columns.map((c) => c.header));
  header.font = { bold: true };
  for (const row of table.rows) sheet.addRow(table.columns.map((c) => cellOf(c.type, c.value(row))));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
