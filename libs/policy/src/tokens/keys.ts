import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/**
 * Reads a key setting: PEM text (an env file may carry its newlines as literal `\n`) or a path to a PEM file;
 * several keys separated by commas (each PEM text or path), and a file may hold several PEM blocks. Returns the
 * PEM blocks. `label` names the setting in errors (e.g. `JWT_PUBLIC_KEY`).
 */
export function readKeySetting(setting: string, label: string): string[] {
  const pems: string[] = [];
  // PEM base64 has no commas, so a comma always separates two keys
  for (const part of setting.split(',')) {
    const item = part.trim();
    if (!item) {
      continue;
    }
    let text: string;
    if (item.includes('-----BEGIN')) {
      text = item.replace(/\\n/g, '\n');
    } else {
      try {
        text = readFileSync(item, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        throw new Error(`${label}: cannot read the key file ${item} (${code}); give PEM text or a path to a PEM file`);
      }
    }
    const blocks = text.match(PEM_BLOCK);
    if (!blocks) {
      throw new Error(`${label}: ${item.includes('-----BEGIN') ? 'the PEM text' : item} holds no PEM key`);
    }
    pems.push(...blocks);
  }
  if (!pems.length) {
    throw new Error(`${label}: no key given`);
  }
  return pems;
}

/** Public keys from a setting; a private key PEM is accepted too (its public half is used). */
export function loadPublicKeys(setting: string, label: string): KeyObject[] {
  return readKeySetting(setting, label).map((pem) => {
    try {
      return createPublicKey(pem);
    } catch (error) {
      throw new Error(`${label}: not a usable public key (${error instanceof Error ? error.message : String(error)})`);
    }
  });
}

/** The one private key of a setting. */
export function loadPrivateKey(setting: string, label: string): KeyObject {
  const pems = readKeySetting(setting, label);
  if (pems.length !== 1) {
    throw new Error(`${label}: expected one private key, found ${pems.length}`);
  }
  try {
    return createPrivateKey(pems[0]);
  } catch (error) {
    throw new Error(`${label}: not a usable private key (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Context tokens are EdDSA only: refuses any other kind of key, naming the setting. */
export function assertEd25519(key: KeyObject, label: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${label}: expected an Ed25519 key, got ${key.asymmetricKeyType ?? key.type}`);
  }
  return key;
}

/** The key's RFC 7638 JWK thumbprint (SHA-256, base64url): a stable `kid` derived from the public key alone. */
export function keyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  let members: Record<string, unknown>;
  switch (jwk.kty) {
    case 'OKP':
      members = { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
      break;
    case 'EC':
      members = { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
      break;
    case 'RSA':
      members = { e: jwk.e, kty: jwk.kty, n: jwk.n };
      break;
    default:
      throw new Error(`no thumbprint for key type ${String(jwk.kty)}`);
  }
  // members are already in lexicographic order, as RFC 7638 requires
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

export interface DevKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privateKeyPath: string;
  publicKeyPath: string;
  keyId: string;
}

/**
 * A development Ed25519 key pair under `dir` (`<name>.key.pem`, mode 0600, and `<name>.pub.pem`), generated on first
 * use and reused afterwards. Safe when several processes start at once: the private key appears atomically (a
 * hard link of a complete file) and the first one wins; the public key is derived from it.
 */
export function ensureDevKeyPair(dir: string, name: string): DevKeyPair {
  const privateKeyPath = join(dir, `${name}.key.pem`);
  const publicKeyPath = join(dir, `${name}.pub.pem`);
  if (!existsSync(privateKeyPath)) {
    // only the keys directory is private: a recursive mode would also close parents it creates (e.g. .data, which
    // the embedded PostgreSQL's own user must traverse)
    mkdirSync(dirname(dir), { recursive: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const temporary = `${privateKeyPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, pem, { mode: 0o600 });
    try {
      linkSync(temporary, privateKeyPath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        // a file system without hard links: exclusive create, the first writer wins
        writeExclusive(privateKeyPath, pem);
      }
    } finally {
      rmSync(temporary, { force: true });
    }
  }
  const privateKey = assertEd25519(loadPrivateKey(privateKeyPath, privateKeyPath), privateKeyPath);
  const publicKey = createPublicKey(privateKey);
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  if (!existsSync(publicKeyPath) || readFileSync(publicKeyPath, 'utf8') !== publicPem) {
    const temporary = `${publicKeyPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, publicPem, { mode: 0o644 });
    renameSync(temporary, publicKeyPath);
  }
  return { privateKey, publicKey, privateKeyPath, publicKeyPath, keyId: keyId(publicKey) };
}

function writeExclusive(path: string, content: string): void {
  try {
    writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  }
}
