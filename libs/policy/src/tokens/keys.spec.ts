import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevKeyPair, keyId, loadPrivateKey, loadPublicKeys, readKeySetting } from './keys';

describe('key settings', () => {
  let dir: string;
  const first = generateKeyPairSync('ed25519');
  const second = generateKeyPairSync('ed25519');
  const pemOf = (key: typeof first.publicKey) => key.export({ type: 'spki', format: 'pem' }) as string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'concord-keys-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should read PEM text, also with its newlines written as \\n', () => {
    const pem = pemOf(first.publicKey);

    expect(readKeySetting(pem, 'KEY')).toEqual([pem.trim()]);
    expect(readKeySetting(pem.replace(/\n/g, '\\n'), 'KEY')).toEqual([pem.trim()]);
  });

  it('should read PEM files, several separated by commas, and several keys in one file', () => {
    const one = join(dir, 'one.pem');
    const both = join(dir, 'both.pem');
    writeFileSync(one, pemOf(first.publicKey));
    writeFileSync(both, `${pemOf(first.publicKey)}${pemOf(second.publicKey)}`);

    expect(loadPublicKeys(`${one}, ${both}`, 'KEY').map(keyId)).toEqual([keyId(first.publicKey), keyId(first.publicKey), keyId(second.publicKey)]);
  });

  it('should name the setting when a key file is missing or holds no key', () => {
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, 'nothing here');

    expect(() => readKeySetting(join(dir, 'missing.pem'), 'JWT_PUBLIC_KEY')).toThrow(/JWT_PUBLIC_KEY: cannot read the key file .*ENOENT/);
    expect(() => readKeySetting(empty, 'JWT_PUBLIC_KEY')).toThrow(/JWT_PUBLIC_KEY: .* holds no PEM key/);
    expect(() => loadPrivateKey(pemOf(first.publicKey), 'CONTEXT_SIGNING_KEY')).toThrow(/CONTEXT_SIGNING_KEY: not a usable private key/);
  });

  it('should derive the kid as the RFC 7638 thumbprint (RFC 8037 test vector)', () => {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }, format: 'jwk' });

    expect(keyId(key)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('should generate a dev key pair once, private key readable by the owner only, and reuse it', () => {
    const keysDir = join(dir, 'keys');

    const created = ensureDevKeyPair(keysDir, 'context');
    const again = ensureDevKeyPair(keysDir, 'context');

    expect(statSync(created.privateKeyPath).mode & 0o777).toBe(0o600);
    expect(again.keyId).toBe(created.keyId);
    expect(keyId(loadPublicKeys(readFileSync(created.publicKeyPath, 'utf8'), 'pub')[0])).toBe(created.keyId);
    expect(ensureDevKeyPair(keysDir, 'jwt').keyId).not.toBe(created.keyId);
  });

  it('should close only the keys directory, not the parents it creates (.data is shared with the embedded PostgreSQL)', () => {
    const data = join(dir, 'fresh-data');
    const keysDir = join(data, 'keys');

    ensureDevKeyPair(keysDir, 'context');

    expect(statSync(keysDir).mode & 0o777).toBe(0o700);
    expect(statSync(data).mode & 0o077).not.toBe(0);
  });
});
