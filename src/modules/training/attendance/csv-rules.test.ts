import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CSV_HEADER, CSV_MAX_LINES, parseAttendanceCsv, splitCsvLine } from './csv-rules.js';

const file = (...lines: string[]) => [CSV_HEADER, ...lines].join('\n');

describe('attendance CSV parsing', () => {
  it('reads every kind of line into entries, with file line numbers', () => {
    const { rows, errors } = parseAttendanceCsv(file(
      '1234567A;SESS-1;02/03/2026;matin;present;;;',
      '1234567A;SESS-1;02/03/2026;apres-midi;retard;20;;',
      '',
      '1234567A;SESS-1;03/03/2026;matin;absent;;maladie;oui',
      '1234567A;SESS-1;03/03/2026;apres-midi;absent;;rdv_agence;non',
    ));
    assert.deepEqual(errors, []);
    assert.deepEqual(rows.map((r) => [r.line, r.identifier, r.session, r.entry]), [
      [2, '1234567A', 'SESS-1', { date: '2026-03-02', period: 'am', status: 'present', lateMinutes: null, reason: null, justified: null }],
      [3, '1234567A', 'SESS-1', { date: '2026-03-02', period: 'pm', status: 'late', lateMinutes: 20, reason: null, justified: null }],
      [5, '1234567A', 'SESS-1', { date: '2026-03-03', period: 'am', status: 'absent', lateMinutes: null, reason: 'sickness', justified: true }],
      [6, '1234567A', 'SESS-1', { date: '2026-03-03', period: 'pm', status: 'absent', lateMinutes: null, reason: 'agency_appointment', justified: false }],
    ]);
  });

  const variants: Array<[string, string]> = [
    ['a UTF-8 BOM', `\uFEFF${file('1234567A;S;02/03/2026;matin;present;;;')}`],
    ['Windows line ends and a final newline', `${file('1234567A;S;02/03/2026;matin;present;;;')}\r\n`.replace(/\n/g, '\r\n')],
    ['accents and capitals a spreadsheet adds', file('1234567a;S;02/03/2026;Matin;Présent;;;')],
    ['quoted cells', file('"1234567A";"S";"02/03/2026";"matin";"present";"";"";""')],
    ['a header with capitals and quotes', `"Identifiant_Candidat";"session_carif_oref";"date";"demi_journee";"statut";"minutes_retard";"motif";"justifie"\n1234567A;S;02/03/2026;matin;present;;;`],
  ];
  for (const [name, text] of variants) {
    it(`accepts ${name}`, () => {
      const { rows, errors } = parseAttendanceCsv(text);
      assert.deepEqual(errors, []);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].identifier, '1234567A');
    });
  }

  const refusals: Array<[string, string, Array<[number, string, RegExp]>]> = [
    ['an empty file', '', [[1, 'fichier', /vide/]]],
    ['a header only', CSV_HEADER, [[2, 'fichier', /que l’en-tête/]]],
    ['a comma separator', CSV_HEADER.replace(/;/g, ',') + '\n1234567A,S,02/03/2026,matin,present,,,', [[1, 'fichier', /Séparateur : le fichier utilise « , »/]]],
    ['a tab separator', CSV_HEADER.replace(/;/g, '\t'), [[1, 'fichier', /Séparateur : le fichier utilise la tabulation/]]],
    ['a wrong header', CSV_HEADER.replace('statut', 'etat') + '\n1234567A;S;02/03/2026;matin;present;;;', [[1, 'fichier', /La colonne 5 devrait s’appeler « statut » \(trouvé : « etat »\)/]]],
    ['a missing column in the header', CSV_HEADER.replace(';justifie', ''), [[1, 'fichier', /La colonne 8 devrait s’appeler « justifie »/]]],
    ['errors on several lines, all reported', file(
      '1234567A;S;02/03/2026;matin;present;;;',
      '123;S;31/02/2026;soir;present;;;',
      '1234567A;S;2026-03-03;matin;absent;;;',
      '1234567A;;03/03/2026;matin;retard;;;',
      '1234567A;S;03/03/2026;matin;present;abc;grippe;peut-etre',
      '1234567A;S;03/03/2026;matin',
    ), [
      [3, 'identifiant_candidat', /7 chiffres/], [3, 'date', /31\/02\/2026/], [3, 'demi_journee', /matin/],
      [4, 'date', /jj\/mm\/aaaa/],
      [5, 'session_carif_oref', /obligatoire/], [5, 'minutes_retard', /durée du retard/],
      [6, 'minutes_retard', /nombre entier/], [6, 'motif', /maladie/], [6, 'justifie', /oui/],
      [7, 'fichier', /8 colonnes .* 4 trouvée/],
    ]],
    ['an absence without reason and flag', file('1234567A;S;03/03/2026;matin;absent;;;'), [[2, 'motif', /motif de l’absence/], [2, 'justifie', /justifiée/]]],
  ];
  for (const [name, text, expected] of refusals) {
    it(`refuses ${name}`, () => {
      const { rows, errors } = parseAttendanceCsv(text);
      assert.deepEqual(errors.map((e) => [e.line, e.field]), expected.map(([l, f]) => [l, f]), JSON.stringify(errors, null, 1));
      errors.forEach((e, i) => assert.match(e.message, expected[i][2]));
      if (name.startsWith('errors on several')) assert.equal(rows.length, 1, 'only the good line parses');
    });
  }

  it(`accepts ${CSV_MAX_LINES} lines and refuses one more`, () => {
    const line = '1234567A;S;02/03/2026;matin;present;;;';
    assert.equal(parseAttendanceCsv(file(...Array(CSV_MAX_LINES).fill(line))).rows.length, CSV_MAX_LINES);
    const tooMany = parseAttendanceCsv(file(...Array(CSV_MAX_LINES + 1).fill(line)));
    assert.equal(tooMany.rows.length, 0);
    assert.match(tooMany.errors[0].message, /100\s000 au maximum/);
  });

  it('splits quoted cells holding separators and quotes', () => {
    assert.deepEqual(splitCsvLine('a;"b;c";"d ""e""";'), ['a', 'b;c', 'd "e"', '']);
  });
});
