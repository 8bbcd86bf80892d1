// `npm run seed -- --scale N [--seed S]`: thin launcher for the built generator (tools/seed, see --help).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./seed/dist/main.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('seed: tools/seed is not built: run `npm run build` (npm run seed builds first)');
  process.exit(1);
}
createRequire(import.meta.url)(entry);
