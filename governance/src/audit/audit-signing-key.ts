import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface AuditSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** first 16 hex digits of sha256(SPKI DER of the public key) */
  keyId: string;
  publicKeyPem: string;
}

/** File name of the dev key inside AUDIT_KEY_DIR. */
export const DEV_KEY_FILE = 'audit-signing-key.pem';

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function signingKeyOf(pem: string): AuditSigningKey {
  // an env variable often carries the PEM with literal "\n"
  const privateKey = createPrivateKey(pem.replace(/\\n/g, '\n'));
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`AUDIT_SIGNING_KEY must be an Ed25519 private key (PKCS8 PEM), got ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/**
 * The configured key, or the dev key kept in `keyDir` (created on first use). `created` tells whether a key
 * was generated now; `dev` whether the dev key is in use (the caller logs it).
 */
export async function loadSigningKey(options: {
  pem?: string;
  keyDir: string;
}): Promise<AuditSigningKey & { dev: boolean; created: boolean }> {
  if (options.pem) {
    return { ...signingKeyOf(options.pem), dev: false, created: false };
  }
  const file = join(options.keyDir, DEV_KEY_FILE);
  try {
    return { ...signingKeyOf(await readFile(file, 'utf8')), dev: true, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // only the key directory is private, not parents it would create (.data is shared with the embedded PostgreSQL)
  await mkdir(dirname(options.keyDir), { recursive: true });
  await mkdir(options.keyDir, { recursive: true, mode: 0o700 });
  // wx: two processes starting together keep the first key
  await writeFile(file, pem, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') {
      throw error;
    }
  });
  return { ...signingKeyOf(await readFile(file, 'utf8')), dev: true, created: true };
}
