/**
 * The screenshot attached to a demo support request, drawn in code (no binary in the repository):
 * a 480×270 page with a title bar and a red error banner, as a user's capture might look.
 */
import { crc32, deflateSync } from 'node:zlib';

const WIDTH = 480;
const HEIGHT = 270;

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

function colourAt(x: number, y: number): [number, number, number] {
  if (y < 36) return [0, 0, 145]; // title bar
  if (y >= 70 && y < 120 && x >= 30 && x < 450) return x < 36 ? [176, 42, 55] : [248, 215, 218]; // error banner
  if (y >= 150 && y < 250 && x >= 30 && x < 450 && (y - 150) % 20 < 10) return [233, 236, 239]; // form rows
  return [255, 255, 255];
}

export function demoScreenshot(): Buffer {
  const raw = Buffer.alloc((WIDTH * 3 + 1) * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    const row = y * (WIDTH * 3 + 1);
    raw[row] = 0; // no filter
    for (let x = 0; x < WIDTH; x++) raw.set(colourAt(x, y), row + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(WIDTH, 0);
  header.writeUInt32BE(HEIGHT, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
