// Helper process that owns the embedded PostgreSQL for tools/start.mjs and tools/db-reset.mjs.
// Usage (spawned with an IPC channel): node embedded-postgres-runner.mjs <dataDir> <port>
// Sends { url } once PostgreSQL accepts connections (or { error }); stops it on the message 'stop', on
// SIGTERM/SIGINT, or when the parent goes away, then exits.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const [dataDir, port] = process.argv.slice(2);
const log = (line) => console.log(`[${new Date().toISOString()}] ${line}`);

let database;
let stopping;
function stop(reason) {
  stopping ??= (async () => {
    log(`stopping embedded PostgreSQL (${reason})`);
    try {
      await database?.stop();
      log('embedded PostgreSQL stopped');
    } catch (error) {
      log(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
    process.disconnect?.();
    process.exit();
  })();
  return stopping;
}

process.on('message', (message) => {
  if (message === 'stop') {
    void stop('asked by the parent');
  }
});
process.on('disconnect', () => void stop('the parent went away'));

try {
  const { startEmbeddedPostgres } = require(join(root, 'libs/common/dist/database/embedded.js'));
  database = await startEmbeddedPostgres({ dataDir, port: Number(port), log });
  // embedded-postgres installs its own SIGINT/SIGTERM exit hook; this process has no terminal (own process
  // group), so those signals come only from someone stopping it on purpose, and the hook stops PostgreSQL.
  if (stopping) {
    await stopping;
  } else {
    process.send?.({ url: database.url });
  }
} catch (error) {
  const message = error instanceof Error ? error.message : `PostgreSQL exited while starting (${String(error)}); see the lines above`;
  log(`embedded PostgreSQL failed to start: ${message}`);
  process.exitCode = 1;
  if (process.send) {
    process.send({ error: message }, () => process.exit(1));
  }
}
