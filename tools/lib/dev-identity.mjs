// Identity for the tools (`npm start`, `npm run token`, the benchmark): what the environment configures wins; whatever
// it leaves out is a local Ed25519 dev key pair under .data/keys (or AUTH_DEV_KEYS_DIR), generated once.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { root } from './runtime.mjs';

const require = createRequire(import.meta.url);
const POLICY_DIST = join(root, 'libs/policy/dist/index.js');

/** The built @concord/policy (keys and token signing); builds the workspace, quietly, when it was never built. */
export function policyLib() {
  if (!existsSync(POLICY_DIST)) {
    const build = spawnSync(process.execPath, [join(root, 'tools/build.mjs')], {
      cwd: root,
      env: { ...process.env, CONCORD_BUILD_QUIET: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (build.status !== 0) {
      throw new Error('the build failed: run `npm run build` to see why');
    }
  }
  return require(POLICY_DIST);
}

/** Where dev keys live: AUTH_DEV_KEYS_DIR, else <data dir>/keys. */
export function devKeysDir(dataDir = resolve(root, process.env.CONCORD_DATA_DIR || '.data')) {
  return process.env.AUTH_DEV_KEYS_DIR ? resolve(root, process.env.AUTH_DEV_KEYS_DIR) : join(dataDir, 'keys');
}

export const JWT_ISSUER_DEFAULT = 'concord-dev';
export const JWT_AUDIENCE_DEFAULT = 'concord';

/**
 * The key settings for the services. Returns env for the gateway, the subgraphs and governance (only what the
 * environment does not already set), and the dev caller key when callers are verified with it (then dev tokens can
 * be minted).
 */
export function serviceIdentity(dataDir) {
  const env = process.env;
  const dir = devKeysDir(dataDir);
  const { ensureDevKeyPair } = policyLib();
  const gateway = {};
  const subgraph = {};
  if (Boolean(env.CONTEXT_SIGNING_KEY) !== Boolean(env.CONTEXT_VERIFY_KEY)) {
    throw new Error(
      'CONTEXT_SIGNING_KEY (gateway) and CONTEXT_VERIFY_KEY (subgraphs: its public key) are set together, or neither (dev keys)',
    );
  }
  if (!env.CONTEXT_SIGNING_KEY) {
    const context = ensureDevKeyPair(dir, 'context');
    gateway.CONTEXT_SIGNING_KEY = context.privateKeyPath;
    subgraph.CONTEXT_VERIFY_KEY = context.publicKeyPath;
  }
  let callerKey;
  // the workflow engine's own JWTs (role integration) and the console's dev sign-in: signed with the dev caller key
  // unless WORKFLOW_SIGNING_KEY / CONSOLE_DEV_SIGN_IN_KEY are set
  const governanceKeys = {};
  if (!env.JWT_JWKS_URL && !env.JWT_PUBLIC_KEY) {
    const jwt = ensureDevKeyPair(dir, 'jwt');
    gateway.JWT_PUBLIC_KEY = jwt.publicKeyPath;
    callerKey = jwt.privateKey;
    if (!env.WORKFLOW_SIGNING_KEY) {
      governanceKeys.WORKFLOW_SIGNING_KEY = jwt.privateKeyPath;
    }
    // the console's role picker mints dev tokens with the same key (only ever with dev keys, never with real ones)
    if (!env.CONSOLE_DEV_SIGN_IN_KEY) {
      governanceKeys.CONSOLE_DEV_SIGN_IN_KEY = jwt.privateKeyPath;
    }
  }
  // the services' shared secret for governance's ledger ingest and policy bundle
  const shared = env.GOVERNANCE_TOKEN ? {} : { GOVERNANCE_TOKEN: ensureDevSecret(dir, 'governance.token') };
  Object.assign(gateway, shared);
  Object.assign(subgraph, shared);
  return {
    dir,
    gateway,
    subgraph,
    // governance is a subgraph too, and verifies callers' JWTs itself for the audit export
    governance: { ...subgraph, ...(gateway.JWT_PUBLIC_KEY ? { JWT_PUBLIC_KEY: gateway.JWT_PUBLIC_KEY } : {}), ...governanceKeys },
    callerKey,
    issuer: env.JWT_ISSUER || JWT_ISSUER_DEFAULT,
    audience: env.JWT_AUDIENCE || JWT_AUDIENCE_DEFAULT,
  };
}

/** A dev secret `npm start` made (e.g. governance.token), or undefined when there is none. */
export function devSecret(name, dir = devKeysDir()) {
  const path = join(dir, name);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

/** A random secret made once and kept (0600) in the dev keys directory. */
function ensureDevSecret(dir, name) {
  const path = join(dir, name);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // another process made it at the same moment: use theirs
      if (error.code !== 'EEXIST') {
        throw error;
      }
    }
  }
  return readFileSync(path, 'utf8').trim();
}

/** A caller JWT signed with the dev key (what `npm run token` prints). */
export async function devCallerToken({ sub, roles, ttlSeconds = 3_600, dir = devKeysDir() }) {
  const { ensureDevKeyPair, signCallerToken } = policyLib();
  return signCallerToken({
    privateKey: ensureDevKeyPair(dir, 'jwt').privateKey,
    sub,
    roles,
    issuer: process.env.JWT_ISSUER || JWT_ISSUER_DEFAULT,
    audience: process.env.JWT_AUDIENCE || JWT_AUDIENCE_DEFAULT,
    ttlSeconds,
  });
}
