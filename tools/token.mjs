// `npm run token -- --role <role> [--role <role>…] --sub <id> [--ttl 1h]`: prints a dev caller JWT (and nothing
// else), signed with the dev key the gateway trusts under `npm start` (.data/keys/jwt.key.pem, or AUTH_DEV_KEYS_DIR).
import { parseArgs } from 'node:util';
import { devCallerToken } from './lib/dev-identity.mjs';
import { loadDotEnv } from './lib/runtime.mjs';

const USAGE = `usage: npm run token -- --role <role> [--role <role> …] --sub <id> [--ttl 1h]

  --role   a role of the caller (repeat, or separate with commas): sales, delivery_manager, consultant,
           finance, executive, data_steward, auditor, operator, integration
  --sub    the caller's id (default dev-user)
  --ttl    lifetime: 90s, 30m, 1h, 7d (default 1h)

  curl -s http://127.0.0.1:4000/graphql -H "authorization: Bearer $(npm run --silent token -- --role finance --sub u1)" \\
    -H 'content-type: application/json' --data '{"query":"{ clients(first: 3) { edges { node { name } } } }"}'`;

const UNITS = { s: 1, m: 60, h: 3_600, d: 86_400 };

function seconds(ttl) {
  const match = /^(\d+)\s*([smhd]?)$/.exec(ttl.trim());
  if (!match || Number(match[1]) < 1) {
    throw new Error(`--ttl "${ttl}": expected a positive duration such as 90s, 30m, 1h or 7d`);
  }
  return Number(match[1]) * UNITS[match[2] || 's'];
}

try {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true, short: 'r' },
      sub: { type: 'string', short: 's' },
      ttl: { type: 'string', short: 't' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const roles = (values.role ?? [])
    .flatMap((role) => role.split(','))
    .map((role) => role.trim())
    .filter(Boolean);
  if (!roles.length) {
    throw new Error('give at least one --role');
  }
  loadDotEnv();
  const token = await devCallerToken({ sub: values.sub ?? 'dev-user', roles, ttlSeconds: seconds(values.ttl ?? '1h') });
  process.stdout.write(`${token}\n`);
} catch (error) {
  console.error(`✗ ${error.message}\n\n${USAGE}`);
  process.exit(1);
}
