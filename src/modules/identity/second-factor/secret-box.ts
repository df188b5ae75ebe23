// Authenticated encryption of small secrets at rest (TOTP secrets), so that a
// database dump alone does not let an attacker generate second-factor codes.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12; // 96-bit nonce, the GCM standard size
const TAG_BYTES = 16;
const MIN_KEY_CHARS = 32;
const HKDF_INFO = 'kairos-secret-box';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
  /** HMAC-SHA-256 of `data` under a key derived for `purpose` alone (tokens the server checks later). */
  mac(purpose: string, data: string): Buffer;
}

// Same message whatever went wrong: no oracle on which part was tampered.
function openError(): Error {
  return new Error('secret-box: cannot open sealed value');
}

function decodePart(part: string | undefined): Buffer | null {
  if (part === undefined || !/^[A-Za-z0-9_-]*$/.test(part)) return null;
  return Buffer.from(part, 'base64url');
}

export function createSecretBox(key: string): SecretBox {
  if (typeof key !== 'string' || key.length < MIN_KEY_CHARS) {
    throw new Error(`secret-box: key must be at least ${MIN_KEY_CHARS} characters`);
  }
  // The configured key is a passphrase-like string, not raw key bytes: HKDF
  // turns it into a uniform 32-byte AES key bound to this purpose (info), so
  // the same configuration value can safely feed other derivations. No salt:
  // the input is already high-entropy and the derivation must be stable.
  const aesKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), HKDF_INFO, 32));

  const macKeys = new Map<string, Buffer>();
  const macKey = (purpose: string) => {
    let k = macKeys.get(purpose);
    if (!k) macKeys.set(purpose, (k = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `kairos-mac:${purpose}`, 32))));
    return k;
  };

  return {
    mac(purpose: string, data: string): Buffer {
      return createHmac('sha256', macKey(purpose)).update(data).digest();
    },

    seal(plain: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', aesKey, iv, { authTagLength: TAG_BYTES });
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, tag, ciphertext]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },

    open(sealed: string): string {
      const parts = typeof sealed === 'string' ? sealed.split('.') : [];
      if (parts.length !== 4 || parts[0] !== VERSION) throw openError();
      const iv = decodePart(parts[1]);
      const tag = decodePart(parts[2]);
      const ciphertext = decodePart(parts[3]);
      // Fixed tag length: Node would otherwise accept truncated tags.
      if (!iv || !tag || !ciphertext || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw openError();
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', aesKey, iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw openError();
      }
    },
  };
}
