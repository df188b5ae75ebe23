/**
 * What an export is made of, whatever its format: columns with a French header, a type and a
 * width, and the rule that neutralises formula-like text (docs/decisions/0047-exports.md).
 */

/** How a cell is typed in XLSX and written in CSV. */
export type CellType = 'text' | 'integer' | 'decimal' | 'money' | 'rate' | 'date';

/**
 * A cell's value: text; a number (money in integer cents, a rate between 0 and 1); a day as
 * `YYYY-MM-DD`, or an instant (shown as its day in Paris); null for an empty cell.
 */
export type CellValue = string | number | Date | null;

export interface Column<R> {
  header: string;
  type: CellType;
  /** Width in characters of the XLSX column. */
  width: number;
  value: (row: R) => CellValue;
}

/** The rows of an export, ready for either format. */
export interface Table<R = unknown> {
  sheet: string;
  columns: ReadonlyArray<Column<R>>;
  rows: readonly R[];
}

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A spreadsheet treats a cell starting with one of these characters as a formula (=HYPERLINK…,
 * +1, -2, @SUM) or strips it: prefixed with an apostrophe, it is shown as the text typed.
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The day of a cell's date value, `YYYY-MM-DD` (an instant is taken in Paris). */
export function dayOf(value: string | Date): string {
  return typeof value === 'string' ? value.slice(0, 10) : PARIS_DAY.format(value);
}

export const yesNo = (value: boolean | null) => (value === null ? null : value ? 'oui' : 'non');

/** The three columns that name the trainee, first in every export of candidates' data. */
export function candidateColumns<R extends { candidate: { identifier: string; lastName: string; firstName: string } }>(): Array<Column<R>> {
  return [
    { header: 'Identifiant candidat', type: 'text', width: 20, value: (r) => r.candidate.identifier },
    { header: 'Nom', type: 'text', width: 20, value: (r) => r.candidate.lastName },
    { header: 'Prénom', type: 'text', width: 18, value: (r) => r.candidate.firstName },
  ];
}
