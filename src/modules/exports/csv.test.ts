// The CSV and XLSX writers on their own: French cells, RFC 4180 quoting, and the formula rule on
// the characters an interface trims away before they reach the database (tab, carriage return).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Table } from './columns.js';
import { csvText, toCsv } from './csv.js';
import { toXlsx } from './xlsx.js';

interface Row {
  text: string;
  amount: number;
  day: string;
}
const TABLE: Table<Row> = {
  sheet: 'Essai',
  columns: [
    { header: 'Texte', type: 'text', width: 20, value: (r) => r.text },
    { header: 'Montant (€)', type: 'money', width: 10, value: (r) => r.amount },
    { header: 'Jour', type: 'date', width: 10, value: (r) => r.day },
  ],
  rows: [
    { text: '\tcaché', amount: 123456, day: '2026-03-09' },
    { text: '\rretour', amount: -250, day: '2026-12-31' },
    { text: 'deux\nlignes; "citées"', amount: 5, day: '2026-01-01' },
    { text: '-2', amount: 0, day: '2026-01-01' },
  ],
};

describe('export writers', () => {
  it('CSV: BOM, `;`, CRLF, decimal comma, jj/mm/aaaa, quoting, formula rule on every rendered cell', () => {
    const text = toCsv(TABLE).toString('utf8');
    assert.equal(
      text,
      '\uFEFFTexte;Montant (€);Jour\r\n' +
        "'\tcaché;1234,56;09/03/2026\r\n" +
        `"'\rretour";'-2,50;31/12/2026\r\n` +
        '"deux\nlignes; ""citées""";0,05;01/01/2026\r\n' +
        "'-2;0,00;01/01/2026\r\n",
    );
  });

  it('CSV cells: rates as percentages, instants as their day in Paris', () => {
    assert.equal(csvText('rate', 0.8533), '85,3');
    assert.equal(csvText('decimal', 140.5), '140,5');
    assert.equal(csvText('date', new Date('2026-03-31T23:30:00Z')), '01/04/2026');
    assert.equal(csvText('text', null), '');
  });

  it('XLSX: text neutralised, numbers and dates typed', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx(TABLE)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    assert.equal(sheet.getCell('A2').value, "'\tcaché");
    // XML reads a lone carriage return back as a line feed; the apostrophe is what matters.
    assert.match(String(sheet.getCell('A3').value), /^'[\r\n]retour$/);
    assert.equal(sheet.getCell('A5').value, "'-2");
    assert.equal(sheet.getCell('B2').value, 1234.56);
    assert.equal(sheet.getCell('B3').value, -2.5, 'a real negative amount stays a number in XLSX');
    assert.deepEqual(sheet.getCell('C2').value, new Date('2026-03-09T00:00:00Z'));
    assert.equal(sheet.getCell('C2').numFmt, 'dd/mm/yyyy');
  });
});
