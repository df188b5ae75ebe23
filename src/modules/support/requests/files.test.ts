import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpProblem } from '../../../http/problem.js';
import { MAX_SCREENSHOT_BYTES, checkScreenshots, contentDisposition, safeFileName, sniffImageType } from './files.js';
import { UploadedFile, parseMultipart } from './multipart.js';
import { HTML_AS_PNG, SVG_AS_PNG, jpegHeader, pngOfSize, tinyPng, tinyWebp } from './test-images.js';

describe('screenshot content checks', () => {
  it('recognises PNG, JPEG and WebP by their first bytes only', () => {
    assert.equal(sniffImageType(tinyPng()), 'image/png');
    assert.equal(sniffImageType(jpegHeader()), 'image/jpeg');
    assert.equal(sniffImageType(tinyWebp()), 'image/webp');
    for (const impostor of [HTML_AS_PNG, SVG_AS_PNG, Buffer.from('GIF89a'), Buffer.from('RIFF\0\0\0\0WAVE'), Buffer.alloc(0)]) {
      assert.equal(sniffImageType(impostor), null);
    }
  });

  it('refuses HTML or SVG named .png, and says why in French', () => {
    const verdict = checkScreenshots([{ fileName: 'capture.png', data: HTML_AS_PNG }, { fileName: 'logo.png', data: SVG_AS_PNG }]);
    assert.ok(!verdict.ok);
    assert.equal(verdict.status, 422);
    assert.equal(verdict.errors.length, 2);
    assert.match(verdict.errors[0]!.message, /« capture\.png » n’est pas une image PNG, JPEG ou WebP/);
  });

  it('refuses a file over 5 MB with a 413 and its size, and more than three files', () => {
    const big = checkScreenshots([{ fileName: 'ecran.png', data: pngOfSize(MAX_SCREENSHOT_BYTES + 1) }]);
    assert.ok(!big.ok);
    assert.equal(big.status, 413);
    assert.match(big.errors[0]!.message, /« ecran\.png » pèse 5 Mo : 5 Mo au maximum par capture/);
    assert.ok(checkScreenshots([{ fileName: 'a.png', data: pngOfSize(MAX_SCREENSHOT_BYTES) }]).ok, 'exactly 5 MB is accepted');
    const many = checkScreenshots(Array.from({ length: 4 }, (_, i) => ({ fileName: `${i}.png`, data: tinyPng() })));
    assert.ok(!many.ok);
    assert.match(many.errors[0]!.message, /3 au plus|joignez-en 3 au plus/);
  });

  it('names files by their real type, without paths, quotes or control characters', () => {
    assert.equal(safeFileName('C:\\Users\\moi\\Écran "1".png', 'image/jpeg'), 'Écran 1.jpg');
    assert.equal(safeFileName('../../../etc/passwd', 'image/png'), 'passwd.png');
    assert.equal(safeFileName('\u0000\u202e.png', 'image/webp', 'capture-2'), 'capture-2.webp');
    assert.equal(contentDisposition('Écran 1.png'), `attachment; filename="Ecran 1.png"; filename*=UTF-8''%C3%89cran%201.png`);
  });
});

describe('multipart parsing', () => {
  async function encode(form: FormData): Promise<{ raw: Buffer; type: string }> {
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    return { raw: Buffer.from(await request.arrayBuffer()), type: request.headers.get('content-type')! };
  }

  it('returns text fields as strings and files as UploadedFile, skipping an empty file input', async () => {
    const form = new FormData();
    form.append('subject', 'Écran figé');
    form.append('screenshots', new Blob([new Uint8Array(tinyPng())], { type: 'image/png' }), 'a.png');
    form.append('screenshots', new Blob([]), '');
    const { raw, type } = await encode(form);
    const body = await parseMultipart(raw, type);
    assert.equal(body.subject, 'Écran figé');
    const files = body.screenshots as UploadedFile[];
    assert.equal(files.length, 1);
    assert.ok(files[0] instanceof UploadedFile);
    assert.deepEqual(files[0]!.data, tinyPng());
  });

  it('refuses a malformed body and invalid UTF-8 with a French 400', async () => {
    await assert.rejects(parseMultipart(Buffer.from('nimporte quoi'), 'multipart/form-data; boundary=x'), (e: HttpProblem) => e.status === 400 && /mal formé/.test(e.detail));
    const raw = Buffer.concat([Buffer.from('--x\r\nContent-Disposition: form-data; name="subject"\r\n\r\n'), Buffer.from([0xff, 0xfe]), Buffer.from('\r\n--x--\r\n')]);
    await assert.rejects(parseMultipart(raw, 'multipart/form-data; boundary=x'), (e: HttpProblem) => e.status === 400 && /UTF-8/.test(e.detail));
  });
});
