export interface LetterContent {
  kind: 'identifier' | 'activation';
  reference: string;
  issuedOn: string; // jj/mm/aaaa
  operatorName: string;
  operatorAddress: string;
  organisationName: string;
  organisationAddress: string | null;
  recipientName: string;
  portalUrl: string;
  /** Identifier letter only. */
  login?: string;
  /** Activation letter only. */
  activationCode?: string;
  expiresOn?: string;
}

function identifierBody(c: LetterContent): string[] {
  return [
    `Votre organisme a rejoint Kairos, la plateforme de gestion des formations financées par ${c.operatorName}. Vous en êtes le responsable de gestion des comptes.`,
    `Identifiant : ${c.login}`,
    `Adresse du portail : ${c.portalUrl}`,
    'Votre code d\'activation vous parvient par un courrier distinct. Conservez ces deux courriers séparément : aucun des deux ne permet à lui seul d\'ouvrir votre compte.',
    `Vérifiez toujours que l'adresse affichée par votre navigateur est bien ${new URL(c.portalUrl).host} avant de saisir vos identifiants. ${c.operatorName} ne vous demandera jamais vos codes par courriel ou par téléphone.`,
  ];
}

function activationBody(c: LetterContent): string[] {
  return [
    'Voici le code qui vous permettra d\'activer votre compte de responsable de gestion des comptes sur Kairos.',
    `Code d'activation : ${c.activationCode}`,
    `Ce code ne peut servir qu'une fois. Il expire le ${c.expiresOn}.`,
    'Pour activer votre compte :',
    `1. Rendez-vous sur ${c.portalUrl}/activation ;`,
    '2. saisissez l\'identifiant reçu par courrier séparé et ce code d\'activation ;',
    '3. choisissez un mot de passe d\'au moins 15 caractères (une phrase de plusieurs mots est idéale) ;',
    '4. scannez le code QR affiché avec une application d\'authentification sur votre téléphone, puis saisissez le code à 6 chiffres qu\'elle affiche ;',
    '5. notez vos 10 codes de secours et conservez-les en lieu sûr.',
    'Si vous n\'avez pas demandé l\'adhésion de votre organisme à Kairos, ne faites rien et prévenez l\'assistance.',
  ];
}

/** An A4 letter, French, with the operator's name and address, the date and a reference. */
export async function renderLetterPdf(c: LetterContent): Promise<Buffer> {
  // pdfkit and its fonts take a few hundred milliseconds to load: at the first PDF, not at every start.
  const { default: PDFDocument } = await import('pdfkit');
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 64,
      info: { Title: c.kind === 'identifier' ? 'Courrier d\'identifiant Kairos' : 'Courrier d\'activation Kairos', Author: c.operatorName },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    doc.font('Helvetica-Bold').fontSize(13).text(c.operatorName);
    doc.font('Helvetica').fontSize(10).text(c.operatorAddress);
    doc.moveDown(2);
    doc.fontSize(11).text(c.recipientName, { align: 'right' });
    doc.text(c.organisationName, { align: 'right' });
    if (c.organisationAddress) doc.text(c.organisationAddress, { align: 'right' });
    doc.moveDown(2);
    doc.text(`Le ${c.issuedOn}`);
    doc.text(`Référence : ${c.reference}`);
    doc.moveDown();
    doc.font('Helvetica-Bold').text(c.kind === 'identifier' ? 'Objet : votre identifiant Kairos' : 'Objet : votre code d\'activation Kairos');
    doc.font('Helvetica').moveDown();
    doc.text(`Madame, Monsieur ${c.recipientName},`);
    doc.moveDown();
    for (const paragraph of c.kind === 'identifier' ? identifierBody(c) : activationBody(c)) {
      const key = paragraph.startsWith('Identifiant : ') || paragraph.startsWith('Code d\'activation : ');
      doc.font(key ? 'Courier-Bold' : 'Helvetica').fontSize(key ? 13 : 11).text(paragraph);
      doc.moveDown(0.6);
    }
    doc.moveDown();
    doc.font('Helvetica').fontSize(11).text(`Le service des partenaires de ${c.operatorName}`);
    doc.end();
  });
}
