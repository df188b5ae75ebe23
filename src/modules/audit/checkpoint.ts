/**
 * Signed checkpoints of the audit chain (docs/decisions/0043-audit-checkpoints.md). The chain shows
 * a changed or removed row by the break it leaves in the links, but rows removed from its end
 * leave no break. Each day the head (row id, hash, time) is signed with the instance's Ed25519
 * key, stored, and mailed to the agency administrators; verification then requires every
 * checkpointed row to be still there with the same hash.
 */
import type { Config } from '../../config.js';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/database.js';
import { instanceAuditSigningKey } from '../../db/instance-settings.js';
import { DAY_MS, type RecurringJob, type SchedulingWorker } from '../../jobs/recurring.js';
import { queueMail } from '../../mail/mailer.js';
import { securityRecipients } from '../security/recipients.js';
import { chainBounds, chainHead, checkpointPage, insertCheckpoint, rowHashes } from './checkpoint-repository.js';
import { recordAudit } from './service.js';
import { checkpointSignatureValid, generateSigningSeed, signCheckpoint, signerFrom, type AuditSigner, type CheckpointFacts } from './signing.js';

/** Daily at 02:30 UTC, before the retention purge (03:00). */
export const AUDIT_CHECKPOINT: RecurringJob = { kind: 'audit.checkpoint', everyMs: DAY_MS, offsetMs: 2.5 * 3_600_000 };

type CheckpointDeps = { db: Database; clock: Clock; config: Pick<Config, 'auditSigningKey' | 'publicUrl' | 'operatorName'> };

export async function auditSigner(db: Database, config: Pick<Config, 'auditSigningKey'>): Promise<AuditSigner> {
  return signerFrom(await instanceAuditSigningKey(db, config.auditSigningKey, generateSigningSeed));
}

export interface Checkpoint extends CheckpointFacts {
  id: number;
  signature: string;
  keyFingerprint: string;
  /** How many administrators it was mailed to. */
  mailedTo: number;
}

/**
 * Records the checkpoint in the log, then seals the head, which is that very row: the checkpoint
 * also proves when it was taken. The mails leave with the commit (outbox).
 */
export async function createCheckpoint(deps: CheckpointDeps): Promise<Checkpoint> {
  const signer = await auditSigner(deps.db, deps.config);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    await recordAudit(trx, { at: now, action: 'audit.checkpointed', details: { keyFingerprint: signer.fingerprint } });
    const head = (await chainHead(trx))!;
    const facts: CheckpointFacts = { rowId: Number(head.id), rowHash: head.hash, rowAt: head.at, createdAt: now };
    const signature = signCheckpoint(signer, facts);
    const id = await insertCheckpoint(trx, {
      row_id: facts.rowId, row_hash: facts.rowHash, row_at: facts.rowAt, created_at: now, signature, key_fingerprint: signer.fingerprint,
    });
    const recipients = await securityRecipients(trx, null, '');
    for (const to of recipients) {
      await queueMail(trx, now, { to, subject: `Journal d’audit : point de contrôle n° ${id}`, text: checkpointMail(deps.config, { ...facts, id, signature, keyFingerprint: signer.fingerprint }) });
    }
    return { ...facts, id, signature, keyFingerprint: signer.fingerprint, mailedTo: recipients.length };
  });
}

// Facts about the log only: no name, no address, nothing about a person.
function checkpointMail(config: CheckpointDeps['config'], c: Omit<Checkpoint, 'mailedTo'>): string {
  return [
    'Bonjour,',
    '',
    `Voici le point de contrôle quotidien du journal d’audit de Kairos (${config.operatorName}, ${config.publicUrl}).`,
    'Conservez ce message : il permet de prouver que les lignes scellées n’ont pas été supprimées depuis.',
    '',
    `Point de contrôle : n° ${c.id}`,
    `Ligne scellée : id=${c.rowId}`,
    `Empreinte de la ligne (SHA-256) : ${c.rowHash}`,
    `Date de la ligne : ${c.rowAt.toISOString()}`,
    `Date du point de contrôle : ${c.createdAt.toISOString()}`,
    `Signature Ed25519 (base64) : ${c.signature}`,
    `Empreinte de la clé publique : ${c.keyFingerprint}`,
    '',
    'Vérification : « npm run audit:verify » contrôle chaque point de contrôle. Si ce point de contrôle',
    'n’y figure plus, ou si la commande signale une ligne absente, prévenez le responsable de la sécurité.',
  ].join('\n');
}

export type CheckpointVerdict =
  | { ok: true; checkpoints: number; purged: number; last: { id: number; rowId: number; createdAt: Date } | null }
  | {
      ok: false;
      checkpointId: number;
      createdAt: Date;
      rowId: number;
      reason: 'signature' | 'other_key' | 'altered' | 'missing';
      /** The newest row left in the log, to say which rows are gone. */
      lastRowId: number | null;
      keyFingerprint: string;
    };

/**
 * Checks every checkpoint: signed by this instance's key, and its row still in the log with the
 * same hash. A sealed row may be missing only when the retention purge explains it: older than
 * the retention period and before the first row left (the purge removes the head of the log).
 */
export async function verifyCheckpoints(
  db: Database,
  signer: AuditSigner,
  options: { now: Date; auditRetentionDays: number; pageSize?: number },
): Promise<CheckpointVerdict> {
  const bounds = await chainBounds(db);
  const first = bounds.first === null ? null : Number(bounds.first);
  const lastRowId = bounds.last === null ? null : Number(bounds.last);
  const purgeCutOff = options.now.getTime() - options.auditRetentionDays * DAY_MS;
  let afterId = 0;
  let checkpoints = 0;
  let purged = 0;
  let last: { id: number; rowId: number; createdAt: Date } | null = null;
  for (;;) {
    const page = await checkpointPage(db, afterId, options.pageSize ?? 500);
    if (page.length === 0) return { ok: true, checkpoints, purged, last };
    const hashes = await rowHashes(db, page.map((c) => Number(c.row_id)));
    for (const c of page) {
      const facts: CheckpointFacts = { rowId: Number(c.row_id), rowHash: c.row_hash, rowAt: c.row_at, createdAt: c.created_at };
      const fail = (reason: Extract<CheckpointVerdict, { ok: false }>['reason']): CheckpointVerdict => ({
        ok: false, checkpointId: Number(c.id), createdAt: c.created_at, rowId: facts.rowId, reason, lastRowId, keyFingerprint: c.key_fingerprint,
      });
      if (c.key_fingerprint !== signer.fingerprint) return fail('other_key');
      if (!checkpointSignatureValid(signer.publicKey, facts, c.signature)) return fail('signature');
      const hash = hashes.get(facts.rowId);
      if (hash === undefined) {
        const purgedByRetention = first !== null && facts.rowId < first && facts.rowAt.getTime() < purgeCutOff;
        if (!purgedByRetention) return fail('missing');
        purged += 1;
      } else if (hash !== facts.rowHash) {
        return fail('altered');
      }
      checkpoints += 1;
      last = { id: Number(c.id), rowId: facts.rowId, createdAt: c.created_at };
    }
    afterId = Number(page[page.length - 1].id);
  }
}

/** The French sentence of a failed verdict, naming the checkpoint. */
export function checkpointFailure(v: Extract<CheckpointVerdict, { ok: false }>): string {
  const cp = `le point de contrôle n° ${v.checkpointId} du ${v.createdAt.toISOString()}`;
  switch (v.reason) {
    case 'other_key':
      return `${cp} est signé par une autre clé (empreinte ${v.keyFingerprint}) : vérifiez AUDIT_SIGNING_KEY, ou le point de contrôle a été fabriqué.`;
    case 'signature':
      return `la signature du ${cp.slice(3)} est invalide : le point de contrôle a été modifié ou fabriqué.`;
    case 'altered':
      return `la ligne id=${v.rowId} scellée par ${cp} a changé d’empreinte : elle a été modifiée.`;
    case 'missing': {
      const gone = v.lastRowId === null || v.lastRowId < v.rowId
        ? `les lignes après id=${v.lastRowId ?? 0} ont été supprimées (au moins jusqu’à id=${v.rowId})`
        : `la ligne id=${v.rowId} a été supprimée`;
      return `la ligne id=${v.rowId} scellée par ${cp} est absente : ${gone}.`;
    }
  }
}

export function registerAuditCheckpoint(worker: SchedulingWorker, deps: CheckpointDeps): void {
  worker.registerRecurring(AUDIT_CHECKPOINT, async () => {
    await createCheckpoint(deps);
  });
}
