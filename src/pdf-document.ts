/**
 * An A4 PDF document of the product (pdfkit, margins of 56 pt) and the bytes it will hold once
 * `doc.end()` is called. pdfkit and its fonts take a few hundred milliseconds to load: they are
 * loaded at the first PDF, not at every start (docs/decisions/0039-start-up-bundle.md).
 */
export async function newPdfDocument(title: string, author: string): Promise<{ doc: PDFKit.PDFDocument; bytes: Promise<Buffer> }> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title, Author: author } });
  const bytes = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}
