/**
 * CSV as French spreadsheets open it (docs/decisions/0047-exports.md): UTF-8 with a BOM (so
 * Excel reads the accents), `;` between cells, CRLF between rows, dates jj/mm/aaaa, decimal
 * comma, RFC 4180 quoting; every rendered cell passes the formula rule.
 */
import { dayOf, neutralise, type CellType, type CellValue, type Table } from './columns.js';

const BOM = '\uFEFF';

function decimal(value: number, digits?: number): string {
  return (digits === undefined ? String(value) : value.toFixed(digits)).replace('.', ',');
}

/** The text of a cell as a French spreadsheet expects it. */
export function csvText(type: CellType, value: CellValue): string {
  if (value === null || value === '') return '';
  if (value instanceof Date || type === 'date') {
    const [y, m, d] = dayOf(value as string | Date).split('-');
    return `${d}/${m}/${y}`;
  }
  if (typeof value === 'number') {
    switch (type) {
      case 'money':
        return decimal(value / 100, 2);
      case 'rate':
        // A percentage with one decimal: 0.853 → 85,3 (the header says « (%) »).
        return decimal(Math.round(value * 1000) / 10);
      default:
        return decimal(value);
    }
  }
  return value;
}

/** RFC 4180: a cell holding a quote, the separator or a line break is quoted, its quotes doubled. */
function quoted(text: string): string {
  return /["\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<R>(table: Table<R>): Buffer {
  const lines = [table.columns.map((c) => quoted(c.header)).join(';')];
  for (const row of table.rows) {
    // The formula rule applies to the rendered text of every cell, numbers included (-2,5 → '-2,5).
    lines.push(table.columns.map((c) => quoted(neutralise(csvText(c.type, c.value(row))))).join(';'));
  }
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}
