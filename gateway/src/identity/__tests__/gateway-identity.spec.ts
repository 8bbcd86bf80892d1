import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevKeyPair, signCallerToken } from '@concord/policy';
import { createLogger } from '@concord/common';
import { gatewayConfig } from '../../config';
import { createGatewayIdentity } from '../gateway-identity';

const logger = createLogger('gateway-test', 'silent');

describe(createGatewayIdentity.name, () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'concord-identity-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should read the identity settings with their defaults', () => {
    expect(gatewayConfig({}).identity).toEqual({
      jwksUrl: undefined,
      jwtPublicKey: undefined,
      issuer: 'concord-dev',
      audience: 'concord',
      algorithms: undefined,
      contextSigningKey: undefined,
      devKeysDir: undefined,
    });
    expect(gatewayConfig({ JWT_ALGORITHMS: 'EdDSA, ES256', JWT_JWKS_URL: 'https://idp.example.com/jwks' }).identity).toMatchObject({
      algorithms: ['EdDSA', 'ES256'],
      jwksUrl: 'https://idp.example.com/jwks',
    });
    expect(() => gatewayConfig({ JWT_JWKS_URL: 'not a url' })).toThrow(/JWT_JWKS_URL/);
  });

  it('should fail fast, naming the variables, when no keys are configured', () => {
    const { identity } = gatewayConfig({});

    expect(() => createGatewayIdentity(identity, { logger })).toThrow(/JWT_JWKS_URL or JWT_PUBLIC_KEY/);
    expect(() => createGatewayIdentity({ ...identity, jwtPublicKey: ensureDevKeyPair(dir, 'idp').publicKeyPath }, { logger })).toThrow(
      /CONTEXT_SIGNING_KEY/,
    );
  });

  it('should use the dev keys of AUTH_DEV_KEYS_DIR, where `npm run token` signs', async () => {
    const keysDir = join(dir, 'dev');
    const sut = createGatewayIdentity(gatewayConfig({ AUTH_DEV_KEYS_DIR: keysDir }).identity, { logger });
    const token = await signCallerToken({
      privateKey: ensureDevKeyPair(keysDir, 'jwt').privateKey,
      sub: 'demo-user',
      roles: ['executive'],
      issuer: 'concord-dev',
      audience: 'concord',
    });

    expect(await sut.verifier.verify(token)).toMatchObject({ sub: 'demo-user', roles: ['executive'] });
    expect(sut.signer.keyId).toBe(ensureDevKeyPair(keysDir, 'context').keyId);
  });

  it('should prefer configured keys over the dev keys', () => {
    const configured = ensureDevKeyPair(dir, 'configured');
    const sut = createGatewayIdentity(
      gatewayConfig({
        AUTH_DEV_KEYS_DIR: join(dir, 'unused'),
        CONTEXT_SIGNING_KEY: configured.privateKeyPath,
        JWT_PUBLIC_KEY: configured.publicKeyPath,
      }).identity,
      { logger },
    );

    expect(sut.signer.keyId).toBe(configured.keyId);
    expect(sut.summary).toMatchObject({ callers: '1 public key(s)', contextKey: 'CONTEXT_SIGNING_KEY' });
  });
});
