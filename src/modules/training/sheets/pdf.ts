/**
 * The feuille d'émargement as a PDF: organisation, session, date and hours, the trainer, each
 * trainee with their signing time and their signature drawn from its stored SVG path data (or
 * « présence confirmée »), the SHA-256 of the sheet's content and the audit reference of its
 * closing. A reader outside the organisation gets only the lines they may see.
 */
import { newPdfDocument } from '../../../pdf-document.js';
import { formatFrenchDate } from '../../quotes/rules/holidays.js';
import { PERIOD_LABELS } from '../rules.js';
import type { SignatureInput } from './rules.js';

export interface SheetPdfContent {
  operatorName: string;
  organisationName: string;
  session: string;
  date: string;
  period: 'am' | 'pm';
  hours: string;
  status: 'open' | 'closed';
  trainer: { name: string | null; signature: SignatureInput | null; closedAt: string | null };
  lines: Array<{ name: string; identifier: string; signedAt: string | null; signature: SignatureInput | null }>;
  contentHash: string | null;
  auditReference: string | null;
  partial: boolean;
}

/** The canvas the signature pads record on (public/emargement.js). */
const PAD = { width: 600, height: 220 };

function drawSignature(doc: PDFKit.PDFDocument, signature: SignatureInput | null, x: number, y: number, width: number): void {
  if (!signature) return;
  if (signature.kind === 'confirmed') {
    doc.fontSize(9).text('présence confirmée', x, y + 8, { width });
    return;
  }
  const scale = width / PAD.width;
  doc.save().translate(x, y).scale(scale).lineWidth(3 / scale > 6 ? 6 : 3).strokeColor('#14325c');
  for (const path of signature.paths) doc.path(path).stroke();
  doc.restore();
}

export async function renderSheetPdf(c: SheetPdfContent): Promise<Buffer> {
  const title = `Feuille d’émargement — ${c.session}, ${formatFrenchDate(c.date)} (${PERIOD_LABELS[c.period]})`;
  const { doc, bytes } = await newPdfDocument(title, c.operatorName);

  doc.font('Helvetica-Bold').fontSize(12).text(c.operatorName);
  doc.moveDown();
  doc.fontSize(15).text(title);
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
  doc.text(`Organisme de formation : ${c.organisationName}`);
  doc.text(`Session Carif-Oref : ${c.session} — horaires ${c.hours}`);
  doc.text(`Formateur : ${c.trainer.name ?? 'feuille non close'}${c.trainer.closedAt ? `, feuille close le ${c.trainer.closedAt}` : ''}`);
  if (c.partial) doc.text('Extrait : seules les lignes des stagiaires que vous suivez figurent ici.');
  doc.moveDown();

  const left = doc.page.margins.left;
  const columns = { name: left, time: left + 200, signature: left + 290 };
  const rowHeight = 52;
  doc.font('Helvetica-Bold').text('Stagiaire', columns.name, doc.y, { continued: false });
  let y = doc.y + 4;
  doc.font('Helvetica');
  for (const line of c.lines) {
    if (y + rowHeight > doc.page.height - doc.page.margins.bottom - 80) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    doc.fontSize(10).text(`${line.name}`, columns.name, y + 8, { width: 190 });
    doc.fontSize(8).text(`identifiant ${line.identifier}`, columns.name, y + 22, { width: 190 });
    doc.fontSize(10).text(line.signedAt ? `signé à ${line.signedAt}` : 'non signé', columns.time, y + 8, { width: 85 });
    drawSignature(doc, line.signature, columns.signature, y + 2, 130);
    doc.moveTo(left, y + rowHeight - 2).lineTo(doc.page.width - doc.page.margins.right, y + rowHeight - 2).lineWidth(0.5).strokeColor('#999999').stroke();
    y += rowHeight;
  }
  doc.x = left;
  doc.y = y + 12;
  doc.fillColor('#000000').fontSize(10).text('Signature du formateur :');
  drawSignature(doc, c.trainer.signature, left, doc.y + 2, 160);
  doc.y += 70;
  doc.x = left;
  doc.fontSize(8).text(c.contentHash ? `Empreinte SHA-256 du contenu de la feuille : ${c.contentHash}` : 'Feuille encore ouverte : pas d’empreinte.');
  if (c.auditReference) doc.text(`Référence du journal d’audit (clôture) : ${c.auditReference}`);
  doc.end();
  return bytes;
}

export interface MonthlySheetPdfContent {
  operatorName: string;
  organisationName: string;
  month: string;
  monthLabel: string;
  trainee: { name: string; identifier: string };
  title: string;
  session: string;
  rows: Array<{ date: string; period: 'am' | 'pm'; hours: string; signedAt: string | null; signature: SignatureInput | null; sheet: 'none' | 'open' | 'closed'; contentHash: string | null }>;
}

/** A trainee's month: each planned half-day, with the signature of its sheet when there is one. */
export async function renderMonthlySheetPdf(c: MonthlySheetPdfContent): Promise<Buffer> {
  const title = `Feuille d’émargement mensuelle — ${c.monthLabel}`;
  const { doc, bytes } = await newPdfDocument(title, c.operatorName);
  doc.font('Helvetica-Bold').fontSize(12).text(c.operatorName);
  doc.moveDown();
  doc.fontSize(15).text(title);
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
  doc.text(`Stagiaire : ${c.trainee.name} (identifiant ${c.trainee.identifier})`);
  doc.text(`Formation : ${c.title} — session Carif-Oref ${c.session}`);
  doc.text(`Organisme de formation : ${c.organisationName}`);
  doc.moveDown();
  if (c.rows.length === 0) doc.text('Aucune demi-journée prévue ce mois-ci.');
  const left = doc.page.margins.left;
  const rowHeight = 44;
  let y = doc.y;
  for (const r of c.rows) {
    if (y + rowHeight > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      y = doc.page.margins.top;
    }
    doc.fillColor('#000000').fontSize(10).text(`${formatFrenchDate(r.date)} ${PERIOD_LABELS[r.period]} (${r.hours})`, left, y + 6, { width: 190 });
    const status = r.sheet === 'none' ? 'pas de feuille numérique' : r.signedAt ? `signé à ${r.signedAt}` : r.sheet === 'open' ? 'feuille ouverte, non signée' : 'non signé';
    doc.text(status, left + 200, y + 6, { width: 120 });
    drawSignature(doc, r.signature, left + 330, y + 2, 100);
    if (r.contentHash) doc.fontSize(6).text(`SHA-256 ${r.contentHash}`, left, y + 24, { width: 320 });
    doc.moveTo(left, y + rowHeight - 2).lineTo(doc.page.width - doc.page.margins.right, y + rowHeight - 2).lineWidth(0.5).strokeColor('#999999').stroke();
    y += rowHeight;
  }
  doc.end();
  return bytes;
}
