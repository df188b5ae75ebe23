/**
 * The Ed25519 key that signs audit checkpoints. AUDIT_SIGNING_KEY holds its 32-byte seed in
 * base64 (or base64url), or a PKCS#8 PEM private key. Without it (development and demo only;
 * production refuses to start), a seed is generated once and kept in the database, as the app
 * secret is (src/db/instance-settings.ts).
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';

// DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface AuditSigner {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SHA-256 of the raw public key, hex in groups of four: what administrators compare. */
  fingerprint: string;
}

/** The key, or null when the text is neither a 32-byte seed in base64 nor an Ed25519 PEM key. */
export function parseSigningKey(text: string): KeyObject | null {
  try {
    const trimmed = text.trim();
    if (trimmed.startsWith('-----BEGIN')) {
      const key = createPrivateKey(trimmed);
      return key.asymmetricKeyType === 'ed25519' ? key : null;
    }
    const seed = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (seed.length !== 32) return null;
    return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  } catch {
    return null;
  }
}

export function generateSigningSeed(): string {
  return randomBytes(32).toString('base64url');
}

export function signerFrom(text: string): AuditSigner {
  const privateKey = parseSigningKey(text);
  if (!privateKey) throw new Error('AUDIT_SIGNING_KEY : clé Ed25519 illisible (attendu : 32 octets en base64, ou une clé PEM PKCS#8)');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: publicKeyFingerprint(publicKey) };
}

export function publicKeyFingerprint(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return createHash('sha256').update(raw).digest('hex').match(/.{4}/g)!.join(':');
}

export interface CheckpointFacts {
  rowId: number;
  rowHash: string;
  rowAt: Date;
  createdAt: Date;
}

/** The exact bytes signed: versioned, one fact a line, so a reader can rebuild them from a mail. */
export function checkpointText(c: CheckpointFacts): string {
  return [
    'kairos-audit-checkpoint-v1',
    `row_id=${c.rowId}`,
    `row_hash=${c.rowHash}`,
    `row_at=${c.rowAt.toISOString()}`,
    `created_at=${c.createdAt.toISOString()}`,
  ].join('\n');
}

export function signCheckpoint(signer: AuditSigner, c: CheckpointFacts): string {
  return sign(null, Buffer.from(checkpointText(c), 'utf8'), signer.privateKey).toString('base64');
}

export function checkpointSignatureValid(publicKey: KeyObject, c: CheckpointFacts, signature: string): boolean {
  try {
    return verify(null, Buffer.from(checkpointText(c), 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
