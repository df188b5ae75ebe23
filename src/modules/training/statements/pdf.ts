/**
 * The monthly attendance statement as a PDF, for the candidate, the advisor and the organisation.
 */
import { formatFrenchDate } from '../../quotes/rules/holidays.js';
import { ABSENCE_LABELS, ABSENCE_REASONS, ATTENDANCE_LABELS, PERIOD_LABELS, formatMinutes, monthLabel, type AttendanceRecord, type HalfDaySession, type StatementFigures } from '../rules.js';

export interface StatementPdfContent {
  operatorName: string;
  month: string;
  organisationName: string;
  candidate: { identifier: string; firstName: string; lastName: string };
  title: string;
  session: string;
  submittedOn: string;
  figures: StatementFigures;
  halfDays: Array<{ session: HalfDaySession; record: AttendanceRecord | null }>;
  corrections: Array<{ date: string; period: 'am' | 'pm'; reason: string; correctedOn: string }>;
}

const rate = (r: number | null) => (r === null ? '—' : `${String(r).replace('.', ',')} %`);

function describe(record: AttendanceRecord | null): string {
  if (!record) return 'non déclaré';
  if (record.status === 'late') return `en retard de ${record.lateMinutes} min`;
  if (record.status === 'absent') return `absent (${ABSENCE_LABELS[record.reason!]}, ${record.justified ? 'justifiée' : 'non justifiée'})`;
  return ATTENDANCE_LABELS[record.status];
}

export async function renderStatementPdf(c: StatementPdfContent): Promise<Buffer> {
  // pdfkit and its fonts take a few hundred milliseconds to load: at the first PDF, not at every start.
  const { default: PDFDocument } = await import('pdfkit');
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `État de présence mensuel — ${monthLabel(c.month)}`, Author: c.operatorName } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const f = c.figures;

    doc.font('Helvetica-Bold').fontSize(12).text(c.operatorName);
    doc.moveDown();
    doc.fontSize(15).text(`État de présence mensuel — ${monthLabel(c.month)}`);
    doc.font('Helvetica').fontSize(10).moveDown(0.5);
    doc.text(`Stagiaire : ${c.candidate.firstName} ${c.candidate.lastName} (identifiant ${c.candidate.identifier})`);
    doc.text(`Formation : ${c.title} — session Carif-Oref ${c.session}`);
    doc.text(`Organisme de formation : ${c.organisationName}`);
    doc.text(`Transmis le ${c.submittedOn}`);
    doc.moveDown();
    doc.font('Helvetica-Bold').fontSize(11).text('Synthèse');
    doc.font('Helvetica').fontSize(10);
    doc.text(`Heures prévues : ${formatMinutes(f.plannedMinutes)} (${f.plannedHalfDays} demi-journées)`);
    doc.text(`Heures suivies : ${formatMinutes(f.attendedMinutes)} — taux d’assiduité : ${rate(f.attendanceRate)}`);
    doc.text(`Retards : ${f.lateCount} (${f.lateMinutes} minutes au total)`);
    doc.text(`Absences : ${f.absentHalfDays} demi-journée(s), dont ${f.unjustifiedHalfDays} non justifiée(s)`);
    for (const r of ABSENCE_REASONS) if (f.absencesByReason[r] > 0) doc.text(`   ${ABSENCE_LABELS[r]} : ${f.absencesByReason[r]}`);
    doc.moveDown();
    doc.font('Helvetica-Bold').fontSize(11).text('Détail par demi-journée');
    doc.font('Helvetica').fontSize(9);
    for (const h of c.halfDays) {
      doc.text(`${formatFrenchDate(h.session.date)} ${PERIOD_LABELS[h.session.period]} (${h.session.from}–${h.session.to}) : ${describe(h.record)}`);
    }
    if (c.corrections.length) {
      doc.moveDown();
      doc.font('Helvetica-Bold').fontSize(11).text('Corrections après transmission');
      doc.font('Helvetica').fontSize(9);
      for (const x of c.corrections) doc.text(`${formatFrenchDate(x.date)} ${PERIOD_LABELS[x.period]}, corrigé le ${x.correctedOn} : ${x.reason}`);
    }
    doc.end();
  });
}
