import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { bearerMatches } from '../http/metrics-route.js';

/**
 * The owner's control channel. A data folder has one owner (see data-folder-lock.ts), so a
 * command such as `npm run backup` cannot open it while the server runs: it asks the server.
 * The server listens on a loopback port chosen by the system and writes the port and a random
 * token to a file of the data folder readable only by its user (0600): whoever can read it can
 * read the data folder anyway.
 */
export const CONTROL_FILE = 'kairos-control.json';

export interface ControlInfo {
  pid: number;
  port: number;
  token: string;
}

export interface ControlServer {
  close(): Promise<void>;
}

export type BackupProducer = (out: http.ServerResponse) => Promise<void>;

export async function startControlServer(dataDir: string, produceBackup: BackupProducer, log: { warn(obj: object, msg: string): void }): Promise<ControlServer> {
  const token = randomBytes(32).toString('hex');
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/backup' || !bearerMatches(req.headers.authorization, token)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip' });
    produceBackup(res).catch((err) => {
      log.warn({ err }, 'backup through the control channel failed');
      res.destroy(err as Error); // the client sees a cut stream and keeps no file
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const file = path.join(dataDir, CONTROL_FILE);
  const info: ControlInfo = { pid: process.pid, port: (server.address() as AddressInfo).port, token };
  writeFileSync(`${file}.tmp`, JSON.stringify(info), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return {
    async close() {
      try {
        unlinkSync(file);
      } catch {
        /* already gone */
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function readControlInfo(dataDir: string): ControlInfo | null {
  try {
    const value = JSON.parse(readFileSync(path.join(dataDir, CONTROL_FILE), 'utf8')) as ControlInfo;
    return typeof value.port === 'number' && typeof value.token === 'string' ? value : null;
  } catch {
    return null;
  }
}
