/**
 * The attendance CSV import (docs/product/training-follow-up.md#csv-import) read into entries,
 * purely: one file of an organisation's month, `;`-separated UTF-8 (with or without BOM), a fixed
 * French header, one half-day per line. Every problem is reported with its line number (the header
 * is line 1) and its column; whether the trainings exist and accept the entries is the service's
 * job.
 */
import { isRealDate } from '../../onboarding/rules.js';
import { entryShapeProblems, type AbsenceReason, type AttendanceEntry, type AttendanceStatus, type EntryField, type Period } from '../rules.js';

export const CSV_COLUMNS = ['identifiant_candidat', 'session_carif_oref', 'date', 'demi_journee', 'statut', 'minutes_retard', 'motif', 'justifie'] as const;
export const CSV_HEADER = CSV_COLUMNS.join(';');
/** Data lines per file (the header is not counted): the largest organisation's month fits. */
export const CSV_MAX_LINES = 100_000;

export interface CsvRow {
  line: number;
  identifier: string;
  session: string;
  entry: AttendanceEntry;
}

export interface CsvError {
  line: number;
  field: string;
  message: string;
}

const FILE = 'fichier';

export const emptyFileError = (): CsvError => ({ line: 1, field: FILE, message: `Le fichier est vide : sa première ligne doit être l’en-tête « ${CSV_HEADER} ».` });
export const headerOnlyError = (): CsvError => ({ line: 2, field: FILE, message: 'Le fichier ne contient que l’en-tête : ajoutez une ligne par demi-journée à déclarer.' });
export const tooManyLinesError = (data: number): CsvError => ({
  line: CSV_MAX_LINES + 2,
  field: FILE,
  message: `Le fichier compte ${data.toLocaleString('fr-FR')} lignes de données ou plus : ${CSV_MAX_LINES.toLocaleString('fr-FR')} au maximum. Découpez-le en plusieurs fichiers.`,
});

const PERIODS: Record<string, Period> = { matin: 'am', 'apres-midi': 'pm' };
const STATUSES: Record<string, AttendanceStatus> = { present: 'present', retard: 'late', absent: 'absent' };
const REASONS: Record<string, AbsenceReason> = {
  maladie: 'sickness',
  justifiee: 'justified',
  injustifiee: 'unjustified',
  evenement_familial: 'family_event',
  rdv_agence: 'agency_appointment',
  autre: 'other',
};
const YES_NO: Record<string, boolean> = { oui: true, non: false };

/** Spreadsheets add accents and capitals to the codes people retype ("Après-midi", "Présent"); codes already plain skip the work (100 000 lines, twice). */
const fold = (v: string) => (/^[a-z_-]*$/.test(v) ? v : v.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase());

export const CSV_FIELD_OF: Record<EntryField, (typeof CSV_COLUMNS)[number]> = {
  date: 'date',
  period: 'demi_journee',
  status: 'statut',
  lateMinutes: 'minutes_retard',
  reason: 'motif',
  justified: 'justifie',
};

/** Splits one line on `;`, honouring "quoted" cells (a spreadsheet quotes a cell with a `;` or `"`). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(';').map((v) => v.trim());
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === ';') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells.map((v) => v.trim());
}

export function headerErrors(header: string): CsvError[] {
  const plain = fold(header.replace(/"/g, ''));
  if (plain === CSV_HEADER) return [];
  if (!plain.includes(';') && /[,\t|]/.test(plain)) {
    const sep = plain.includes('\t') ? 'la tabulation' : `« ${/[,|]/.exec(plain)![0]} »`;
    return [{ line: 1, field: FILE, message: `Séparateur : le fichier utilise ${sep} ; enregistrez-le au format CSV avec le point-virgule (;) comme séparateur.` }];
  }
  const got = plain.split(';');
  const wrong = CSV_COLUMNS.findIndex((c, i) => got[i] !== c);
  const detail = wrong >= 0 ? ` La colonne ${wrong + 1} devrait s’appeler « ${CSV_COLUMNS[wrong]} »${got[wrong] ? ` (trouvé : « ${got[wrong].slice(0, 40)} »)` : ''}.` : ` Il y a ${got.length} colonnes au lieu de ${CSV_COLUMNS.length}.`;
  return [{ line: 1, field: FILE, message: `En-tête : la première ligne doit être exactement « ${CSV_HEADER} ».${detail}` }];
}

function frenchDate(v: string): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  return isRealDate(iso) ? iso : null;
}

/** One data line → a row, or the problems of its cells (all of them, not just the first). */
export function parseLine(cells: string[], line: number): { row?: CsvRow; errors: CsvError[] } {
  const errors: CsvError[] = [];
  const err = (field: string, message: string) => errors.push({ line, field, message });
  if (cells.length !== CSV_COLUMNS.length) {
    err(FILE, `Ligne : ${CSV_COLUMNS.length} colonnes séparées par « ; » attendues, ${cells.length} trouvée(s). Laissez vides les cellules sans objet, sans les supprimer.`);
    return { errors };
  }
  const [identifierCell, session, dateCell, periodCell, statusCell, lateCell, reasonCell, justifiedCell] = cells;
  const identifier = identifierCell.replace(/\s/g, '').toUpperCase();
  if (!/^\d{7}[A-Z]$/.test(identifier)) err('identifiant_candidat', 'identifiant_candidat : 7 chiffres suivis d’une lettre attendus (exemple : 1234567A).');
  if (!session) err('session_carif_oref', 'session_carif_oref : numéro de session Carif-Oref obligatoire.');
  else if (session.length > 100) err('session_carif_oref', 'session_carif_oref : 100 caractères au maximum.');
  const date = frenchDate(dateCell);
  if (!date) err('date', `date : date invalide « ${dateCell.slice(0, 20)} », au format jj/mm/aaaa attendue (exemple : 02/03/2026).`);
  const period = PERIODS[fold(periodCell)];
  if (!period) err('demi_journee', 'demi_journee : « matin » ou « apres-midi » attendu.');
  const status = STATUSES[fold(statusCell)];
  if (!status) err('statut', 'statut : « present », « retard » ou « absent » attendu.');
  let lateMinutes: number | null = null;
  if (lateCell !== '') {
    if (/^\d{1,4}$/.test(lateCell)) lateMinutes = Number(lateCell);
    else err('minutes_retard', 'minutes_retard : nombre entier de minutes attendu (exemple : 15), ou cellule vide.');
  }
  let reason: AbsenceReason | null = null;
  if (reasonCell !== '') {
    reason = REASONS[fold(reasonCell)] ?? null;
    if (!reason) err('motif', `motif : ${Object.keys(REASONS).map((r) => `« ${r} »`).join(', ')} attendu, ou cellule vide.`);
  }
  let justified: boolean | null = null;
  if (justifiedCell !== '') {
    justified = YES_NO[fold(justifiedCell)] ?? null;
    if (justified === null) err('justifie', 'justifie : « oui » ou « non » attendu, ou cellule vide.');
  }
  if (!date || !period || !status) return { errors };
  const entry: AttendanceEntry = { date, period, status, lateMinutes, reason, justified };
  // Cells that failed to parse are already reported; the combination check would only repeat them.
  const unparsed = new Set(errors.map((e) => e.field));
  for (const p of entryShapeProblems(entry)) {
    const field = CSV_FIELD_OF[p.field];
    if (!unparsed.has(field)) err(field, `${field} : ${p.message.replace(/^[^:]+ : /, '')}`);
  }
  return errors.length ? { errors } : { row: { line, identifier, session, entry }, errors };
}

/**
 * The rows of a file, or every error found in it. A line of the file is a line of the
 * spreadsheet: numbering counts the header and blank lines, so users find the line they see.
 */
export function parseAttendanceCsv(text: string): { rows: CsvRow[]; errors: CsvError[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) return { rows: [], errors: [emptyFileError()] };
  const header = headerErrors(lines[0]);
  if (header.length) return { rows: [], errors: header };
  const data = lines.length - 1;
  if (data > CSV_MAX_LINES) {
    return { rows: [], errors: [tooManyLinesError(data)] };
  }
  if (lines.slice(1).every((l) => l.trim() === '')) return { rows: [], errors: [headerOnlyError()] };
  const rows: CsvRow[] = [];
  const errors: CsvError[] = [];
  lines.forEach((l, i) => {
    if (i === 0 || l.trim() === '') return;
    const parsed = parseLine(splitCsvLine(l), i + 1);
    if (parsed.row) rows.push(parsed.row);
    errors.push(...parsed.errors);
  });
  return { rows, errors };
}
