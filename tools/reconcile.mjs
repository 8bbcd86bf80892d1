// `npm run reconcile [-- --gateway URL]`: thin launcher for the built reconciliation (tools/reconcile, see --help).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./reconcile/dist/main.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('reconcile: tools/reconcile is not built: run `npm run build` (npm run reconcile builds first)');
  process.exit(1);
}
createRequire(import.meta.url)(entry);
