// `npm run audit:verify`: recomputes the audit ledger's chain and checks its checkpoint signatures.
// Exit 0 when intact, 1 when a link is broken (printed), 2 when it could not run.
// `--public-key <file.pem>` checks signatures with an auditor's copy of the key instead of the configured one.
// `--file export.ndjson [--public-key key.pem]` checks a downloaded NDJSON export offline (no database): see
// checkExport in audit-export-file.ts for what it proves; exit 1 names the first bad line.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'pg';
import { governanceConfig } from '../config';
import { DEV_KEY_FILE, keyIdOf, signingKeyOf } from './audit-signing-key';
import { checkExport } from './audit-export-file';
import { verifyLedger } from './audit-verifier';

async function publicKeys(args: string[]): Promise<Map<string, KeyObject>> {
  const config = governanceConfig();
  const option = args.indexOf('--public-key');
  if (option >= 0) {
    const key = createPublicKey(await readFile(args[option + 1], 'utf8'));
    return new Map([[keyIdOf(key), key]]);
  }
  const pem = config.AUDIT_SIGNING_KEY ?? (await readFile(join(config.AUDIT_KEY_DIR, DEV_KEY_FILE), 'utf8').catch(() => undefined));
  if (!pem) {
    console.warn('no AUDIT_SIGNING_KEY, no dev key and no --public-key: every checkpoint signature will fail');
    return new Map();
  }
  const key = signingKeyOf(pem);
  return new Map([[key.keyId, key.publicKey]]);
}

async function verifyFile(file: string, args: string[]): Promise<number> {
  const option = args.indexOf('--public-key');
  let publicKey: { key: KeyObject; keyId: string } | undefined;
  if (option >= 0) {
    const key = createPublicKey(await readFile(args[option + 1], 'utf8'));
    publicKey = { key, keyId: keyIdOf(key) };
  }
  const result = checkExport((await readFile(file, 'utf8')).split('\n'), publicKey);
  if (!result.ok) {
    console.error(`export BROKEN at line ${result.line ?? '?'}: ${result.problem ?? ''}`);
    console.error(`(${result.entries} entries and ${result.links} links intact before it)`);
    return 1;
  }
  console.log(`export intact: ${result.entries} entries recomputed, ${result.links} links between adjacent positions checked`);
  console.log(
    result.signature === 'valid'
      ? 'signature valid: header, row count and digest are what governance signed'
      : 'signature NOT checked: pass --public-key (GET /audit/public-key) to tie the file to the ledger',
  );
  return 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args.indexOf('--file');
  if (file >= 0) {
    if (!args[file + 1]) {
      throw new Error('--file needs a path');
    }
    return verifyFile(args[file + 1], args);
  }
  const config = governanceConfig();
  const keys = await publicKeys(process.argv.slice(2));
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 1, application_name: 'concord-audit-verify' });
  const started = Date.now();
  try {
    const result = await verifyLedger(async (sql, parameters) => (await pool.query(sql, parameters)).rows, {
      publicKeys: keys,
      batchSize: 5_000,
      onProgress: (checked) => process.stdout.write(`\rchecked ${checked} entries`),
    });
    process.stdout.write('\n');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.ok) {
      console.log(`ledger intact: ${result.checked} entries in ${seconds} s`);
      return 0;
    }
    console.error(`ledger BROKEN after ${result.checked} intact entries; first broken link:`);
    console.error(JSON.stringify(result.firstBroken, null, 2));
    return 1;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
