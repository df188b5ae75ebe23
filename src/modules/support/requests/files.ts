/**
 * Screenshots of support requests: what a file really is (its first bytes, never its name or
 * the type the browser claims), how it is named on download, and where it lives on disk.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FieldError } from '../../../http/problem.js';

export const MAX_SCREENSHOTS = 3;
export const MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024;
export const SCREENSHOTS_FIELD = 'screenshots';
export const ACCEPTED_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ImageType = (typeof ACCEPTED_TYPES)[number];

const EXTENSIONS: Record<ImageType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(data: Uint8Array, bytes: number[], at = 0): boolean {
  return data.length >= at + bytes.length && bytes.every((b, i) => data[at + i] === b);
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The image type by magic bytes; HTML, SVG (text) or anything else is null, whatever its name. */
export function sniffImageType(data: Uint8Array): ImageType | null {
  if (startsWith(data, PNG)) return 'image/png';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, ascii('RIFF')) && startsWith(data, ascii('WEBP'), 8)) return 'image/webp';
  return null;
}

/**
 * A name fit for display and download: the last path segment of what the client sent, without
 * control characters, quotes or separators, cut short, with the extension of the real type.
 */
export function safeFileName(raw: string, type: ImageType, fallback = 'capture'): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  const stem = base
    .replace(/\.[^.]*$/, '')
    .replace(/[\p{C}"'`<>|:*?;]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return `${stem || fallback}.${EXTENSIONS[type]}`;
}

/** RFC 6266: an ASCII fallback and the UTF-8 name; always `attachment`, never displayed inline. */
export function contentDisposition(name: string): string {
  const fallback = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function frenchSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} Ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

export interface IncomingFile {
  fileName: string;
  data: Buffer;
}

export interface CheckedFile {
  originalName: string;
  mediaType: ImageType;
  data: Buffer;
}

export type FilesVerdict = { ok: true; files: CheckedFile[] } | { ok: false; status: 413 | 422; errors: FieldError[] };

/** Count, size and real type of the screenshots; an oversized file makes the answer a 413. */
export function checkScreenshots(files: readonly IncomingFile[]): FilesVerdict {
  const field = SCREENSHOTS_FIELD;
  if (files.length > MAX_SCREENSHOTS) {
    const message = `Captures d’écran (screenshots) : joignez-en ${MAX_SCREENSHOTS} au plus (vous en avez joint ${files.length}).`;
    return { ok: false, status: 422, errors: [{ field, message }] };
  }
  const errors: FieldError[] = [];
  let tooLarge = false;
  const checked: CheckedFile[] = [];
  files.forEach((f, i) => {
    const shown = f.fileName.split(/[/\\]/).pop()?.replace(/\p{C}/gu, '').slice(0, 80) || `n° ${i + 1}`;
    if (f.data.length > MAX_SCREENSHOT_BYTES) {
      tooLarge = true;
      errors.push({ field, message: `La capture « ${shown} » pèse ${frenchSize(f.data.length)} : 5 Mo au maximum par capture. Réduisez-la ou recadrez-la, puis joignez-la de nouveau.` });
      return;
    }
    const type = sniffImageType(f.data);
    if (!type) {
      errors.push({ field, message: `Le fichier « ${shown} » n’est pas une image PNG, JPEG ou WebP (son contenu est vérifié, pas seulement son nom). Joignez une capture d’écran dans l’un de ces formats.` });
      return;
    }
    checked.push({ originalName: safeFileName(f.fileName, type, `capture-${i + 1}`), mediaType: type, data: f.data });
  });
  if (errors.length) return { ok: false, status: tooLarge ? 413 : 422, errors };
  return { ok: true, files: checked };
}

const STORED_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Writes a file under a fresh random name (readable by the server's user only) and returns that name. */
export async function storeFile(dir: string, data: Buffer): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const name = randomUUID();
  await writeFile(path.join(dir, name), data, { flag: 'wx', mode: 0o600 });
  return name;
}

/** Reads a stored file; a name that is not one of ours never reaches the file system. */
export async function readStoredFile(dir: string, storedName: string): Promise<Buffer | null> {
  if (!STORED_NAME.test(storedName)) return null;
  try {
    return await readFile(path.join(dir, storedName));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Removes files written for a change that did not commit. */
export async function removeStoredFiles(dir: string, names: readonly string[]): Promise<void> {
  await Promise.all(names.filter((n) => STORED_NAME.test(n)).map((n) => rm(path.join(dir, n), { force: true })));
}
