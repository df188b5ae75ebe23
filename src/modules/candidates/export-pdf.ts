/** The PDF summary of a candidate's data export: what is held, in a form one can read and keep. */
import { newPdfDocument } from '../../pdf-document.js';
import type { CandidateDataExport } from './data-export.js';

const frDate = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' }) : '—');

export async function renderDataExportPdf(operatorName: string, e: CandidateDataExport): Promise<Buffer> {
  const name = e.candidate ? `${e.candidate.firstName} ${e.candidate.lastName}` : e.account.displayName;
  const { doc, bytes } = await newPdfDocument(`Mes données personnelles — ${name}`, operatorName);
  const heading = (text: string) => doc.moveDown().font('Helvetica-Bold').fontSize(12).text(text).font('Helvetica').fontSize(10);

  doc.font('Helvetica-Bold').fontSize(12).text(operatorName);
  doc.fontSize(15).text(`Mes données personnelles — ${name}`);
  doc.font('Helvetica').fontSize(10).text(`Document établi le ${frDate(e.generatedAt)}. Le détail complet est dans l’export JSON de votre espace.`);
  heading('Compte');
  doc.text(`Identifiant de connexion : ${e.account.login}`);
  doc.text(`Adresse électronique : ${e.account.email ?? '—'} — téléphone : ${e.account.phone ?? '—'}`);
  doc.text(`Compte créé le ${frDate(e.account.createdAt)}`);
  heading('Dossier de candidat');
  if (e.candidate) {
    doc.text(`${e.candidate.firstName} ${e.candidate.lastName}, né(e) le ${e.candidate.birthDate.split('-').reverse().join('/')}`);
    doc.text(`Identifiant France Travail : ${e.candidate.identifier} — courriel : ${e.candidate.email}`);
  } else doc.text('Aucun dossier de candidat n’est rattaché à votre compte.');
  heading(`Devis (${e.quotes.length})`);
  for (const q of e.quotes) doc.text(`${q.type} — ${q.organisation} — statut ${q.status}, version ${q.version}, créé le ${frDate(q.createdAt)} (${q.history.length} événement(s))`);
  heading(`Formations (${e.trainings.length})`);
  for (const t of e.trainings) {
    doc.text(`${t.title} — ${t.organisation} — du ${frDate(t.startDate)} au ${frDate(t.endDate)}, statut ${t.status}`);
    doc.text(`   ${t.attendance.length} demi-journée(s) de présence déclarée(s), ${t.statements.length} état(s) mensuel(s)` +
      `${t.withdrawal ? `, abandon le ${frDate(t.withdrawal.date)}` : ''}${t.report ? `, bilan transmis le ${frDate(t.report.submittedAt)}` : ''}`);
  }
  heading(`Demandes d’assistance (${e.supportRequests.length})`);
  for (const s of e.supportRequests) doc.text(`n° ${s.number} — ${s.subject} — ${s.status}, ouverte le ${frDate(s.createdAt)}`);
  heading('Journal des accès et actions');
  doc.text(`${e.auditEvents.length} événement(s) vous concernant, dont ${e.auditEvents.filter((a) => a.byYou).length} de votre fait.`);
  doc.end();
  return bytes;
}
