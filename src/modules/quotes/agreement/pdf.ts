/**
 * The funding agreement (accord de prise en charge, docs/product/quotes.md#funding-agreement): one
 * A4 document for the three parties, rendered from the approved version. Pure: content in, PDF
 * bytes out.
 */
import { formatFrenchDate } from '../rules/holidays.js';
import { formatEuros } from '../rules/money.js';
import { formatHours, weekdayName } from '../rules/schedule.js';
import type { QuoteInput } from '../rules/quote-schema.js';

export interface AgreementContent {
  reference: string;
  approvedOn: string; // yyyy-mm-dd
  version: number;
  operatorName: string;
  operatorAddress: string;
  organisation: { name: string; siret: string | null; nda: string | null; address: string | null };
  candidate: { identifier: string; lastName: string; firstName: string; birthDate: string };
  quote: QuoteInput;
  fundedCents: number;
  notFundedCents: number;
}

const hours = (h: number) => formatHours(Math.round(h * 100));

function lines(c: AgreementContent): Array<[string, string]> {
  const t = c.quote.training;
  return [
    ['Formation', t.title],
    ['Session Carif-Oref', t.carifOrefSession],
    ['Formacode', t.formacode],
    ['Certification', t.certification ?? 'aucune'],
    ['Dates', `du ${formatFrenchDate(t.startDate)} au ${formatFrenchDate(t.endDate)}`],
    ['Lieu', t.distanceLearning ? 'formation à distance' : (t.place ?? '')],
    ['Emploi du temps', t.schedule.map((r) => `${weekdayName(r.weekday)} ${r.from}–${r.to}`).join(' ; ')],
    ['Heures en centre', hours(t.centreHours)],
    ['Heures en entreprise', hours(t.companyHours)],
  ];
}

export async function renderAgreementPdf(c: AgreementContent): Promise<Buffer> {
  // pdfkit and its fonts take a few hundred milliseconds to load: at the first PDF, not at every start.
  const { default: PDFDocument } = await import('pdfkit');
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Accord de prise en charge ${c.reference}`, Author: c.operatorName } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    doc.font('Helvetica-Bold').fontSize(13).text(c.operatorName);
    doc.font('Helvetica').fontSize(10).text(c.operatorAddress);
    doc.moveDown(1.5);
    doc.font('Helvetica-Bold').fontSize(16).text(`Accord de prise en charge — ${c.quote.type}`);
    doc.font('Helvetica').fontSize(10).text(`Référence : ${c.reference}`);
    doc.text(`Accordé le ${formatFrenchDate(c.approvedOn)}, sur la version ${c.version} du devis.`);
    doc.moveDown();

    doc.font('Helvetica-Bold').fontSize(12).text('Les parties');
    doc.font('Helvetica').fontSize(10);
    doc.text(`Financeur : ${c.operatorName}`);
    doc.text(`Organisme de formation : ${c.organisation.name}${c.organisation.siret ? `, SIRET ${c.organisation.siret}` : ''}${c.organisation.nda ? `, NDA ${c.organisation.nda}` : ''}`);
    if (c.organisation.address) doc.text(c.organisation.address);
    doc.text(`Stagiaire : ${c.candidate.firstName} ${c.candidate.lastName}, identifiant ${c.candidate.identifier}, né(e) le ${formatFrenchDate(c.candidate.birthDate)}`);
    doc.moveDown();

    doc.font('Helvetica-Bold').fontSize(12).text('La formation');
    doc.font('Helvetica').fontSize(10);
    for (const [label, value] of lines(c)) doc.text(`${label} : ${value}`);
    if (c.quote.poei) {
      const p = c.quote.poei;
      doc.text(`Employeur (POEI) : SIRET ${p.employerSiret}, offre ${p.jobOfferReference}, contrat ${p.contractType}${p.contractMonths ? ` (${p.contractMonths} mois)` : ''}`);
      doc.text(`Tuteur : ${p.tutor.firstName} ${p.tutor.lastName}, ${p.tutor.jobTitle}`);
    }
    doc.moveDown();

    doc.font('Helvetica-Bold').fontSize(12).text('Le financement');
    doc.font('Helvetica').fontSize(10);
    doc.text(`Taux horaire : ${formatEuros(Math.round(c.quote.costs.hourlyRate * 100))}`);
    doc.text(`Coût pédagogique pris en charge : ${formatEuros(c.fundedCents)}`);
    for (const l of c.quote.costs.otherLines) doc.text(`${l.label} (non pris en charge) : ${formatEuros(Math.round(l.amount * 100))}`);
    doc.font('Helvetica-Bold').text(`Montant financé : ${formatEuros(c.fundedCents)}`);
    doc.text(`Montant non financé : ${formatEuros(c.notFundedCents)}`);
    doc.font('Helvetica').moveDown();
    doc.text(
      'Le financement est versé à l’organisme de formation au vu des états mensuels d’assiduité et du bilan de fin de formation. Les frais non pris en charge ne peuvent pas être demandés au stagiaire sans son accord écrit.',
    );
    doc.moveDown();
    doc.text(`Document établi par Kairos pour ${c.operatorName}. Vérifiez son authenticité en vous connectant à Kairos avec la référence ${c.reference}.`);
    doc.end();
  });
}
