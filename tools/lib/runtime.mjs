// Shared by tools/start.mjs and tools/db-reset.mjs: settings from the environment, ports, health polling,
// log tails and the embedded PostgreSQL (run in a helper process, see embedded-postgres-runner.mjs).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

/** `.env` at the repository root, if present; variables already in the environment win. */
export function loadDotEnv() {
  const file = join(root, '.env');
  if (existsSync(file)) {
    process.loadEnvFile(file);
  }
}

class SettingsError extends Error {}

function integer(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SettingsError(`${name}="${raw}" is not an integer between ${min} and ${max}`);
  }
  return value;
}

function decimal(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || value < min || value > max) {
    throw new SettingsError(`${name}="${raw}" is not a number between ${min} and ${max}`);
  }
  return value;
}

function postgresUrl(name) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return undefined;
  }
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingsError(`${name} is not a URL (expected postgres://user:password@host:port/database)`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new SettingsError(`${name} must be a postgres:// URL, got ${url.protocol}//…`);
  }
  return raw;
}

/** The variables the tools read (README "Environment"), validated; a bad one stops with its name. */
export function readSettings() {
  try {
    const dataDir = resolve(root, process.env.CONCORD_DATA_DIR || '.data');
    const host = process.env.HOST || '127.0.0.1';
    return {
      host,
      /** where clients connect: a wildcard bind address is reached on loopback */
      connectHost: host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host,
      databaseUrl: postgresUrl('DATABASE_URL'),
      embeddedPort: integer('EMBEDDED_PG_PORT', 5433, 1, 65535),
      ports: {
        gateway: integer('GATEWAY_PORT', 4000, 1, 65535),
        crm: integer('CRM_PORT', 4001, 1, 65535),
        erp: integer('ERP_PORT', 4002, 1, 65535),
        psa: integer('PSA_PORT', 4003, 1, 65535),
        governance: integer('GOVERNANCE_PORT', 4010, 1, 65535),
      },
      seedScale: decimal('SEED_SCALE', 1, 0, 1000),
      startupTimeoutMs: integer('STARTUP_TIMEOUT_MS', 90_000, 1_000, 3_600_000),
      dataDir,
      postgresDir: join(dataDir, 'postgres'),
      logDir: join(dataDir, 'logs'),
    };
  } catch (error) {
    if (error instanceof SettingsError) {
      fail(`invalid environment: ${error.message}`);
    }
    throw error;
  }
}

/** Prints a message on stderr and exits 1 (for problems found before anything was started). */
export function fail(message) {
  console.error(`✗ ${message}`);
  process.exit(1);
}

/** A path as the user best reads it: relative when under the working directory, else absolute. */
export function rel(path) {
  const relativePath = relative(process.cwd(), path);
  return relativePath.startsWith('..') ? path : relativePath || '.';
}

/** A URL with its password replaced by ***, for printing. */
export function redact(url) {
  const parsed = new URL(url);
  if (parsed.password) {
    parsed.password = '***';
  }
  return parsed.toString();
}

/** Resolves to null when host:port can be bound, else to the error code (EADDRINUSE, EACCES, …). */
export function portProblem(host, port) {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', (error) => resolvePort(error.code ?? String(error)));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolvePort(null)));
  });
}

/** Refuses to go on when a port is taken or two services were given the same one. */
export async function assertPortsFree(host, named) {
  const seen = new Map();
  const problems = [];
  for (const [variable, port] of named) {
    if (seen.has(port)) {
      problems.push(`${variable} and ${seen.get(port)} are both ${port}`);
      continue;
    }
    seen.set(port, variable);
    const problem = await portProblem(host, port);
    if (problem === 'EADDRINUSE') {
      problems.push(
        `port ${port} (${variable}) on ${host} is already in use: stop what listens there (is Concord already running?) or set ${variable}`,
      );
    } else if (problem) {
      problems.push(`port ${port} (${variable}) on ${host} cannot be used: ${problem}`);
    }
  }
  if (problems.length) {
    fail(`cannot start:\n  ${problems.join('\n  ')}`);
  }
}

/** The last lines of a log file, indented, for error messages. */
export function tail(file, lines = 30) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return `  (no log at ${rel(file)})`;
  }
  const last = text.trimEnd().split('\n').slice(-lines);
  return last.length && last[0] !== '' ? last.map((line) => `  │ ${line}`).join('\n') : `  (${rel(file)} is empty)`;
}

export const sleep = (ms) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/**
 * Polls url until it answers 200. Returns 'healthy', 'timeout', or 'gone' when isGone() turns true
 * (the process behind it exited) — the caller owns the message.
 */
export async function waitForHealth(url, { timeoutMs, isGone = () => false }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isGone()) {
      return 'gone';
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) {
        return 'healthy';
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  return isGone() ? 'gone' : 'timeout';
}

/** Opens (truncates) a service's log file and returns its descriptor for a child's stdout/stderr. */
export async function openLog(logDir, name) {
  await mkdir(logDir, { recursive: true });
  const file = join(logDir, `${name}.log`);
  writeFileSync(file, '');
  // append mode: a child and this script may both write to it
  return { file, fd: openSync(file, 'a') };
}

export function closeLog(log) {
  try {
    closeSync(log.fd);
  } catch {
    // already closed
  }
}

/** The compiled database helpers of libs/common (npm run build makes them); loads pg, not all of Nest. */
export function databaseAdmin() {
  const file = join(root, 'libs/common/dist/database/admin.js');
  if (!existsSync(file)) {
    fail(`${rel(file)} is missing: run \`npm run build\` first (npm start and npm run db:reset do it for you)`);
  }
  return require(file);
}

/** The PostgreSQL client (pg), for the few statements the tools run themselves. */
export function pgClient(url) {
  const { Client } = require('pg');
  return new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
}

/**
 * Starts the embedded PostgreSQL (`embedded-postgres`, data under dataDir) in a helper process of its own
 * process group, so a terminal Ctrl-C reaches only the tool, which stops the database last. The helper
 * also stops it if the tool dies (its IPC channel closes).
 */
export async function startEmbeddedDatabase({ dataDir, port, logDir, timeoutMs = 120_000 }) {
  const log = await openLog(logDir, 'postgres');
  const child = spawn(process.execPath, [join(root, 'tools/lib/embedded-postgres-runner.mjs'), dataDir, String(port)], {
    cwd: root,
    detached: true,
    stdio: ['ignore', log.fd, log.fd, 'ipc'],
  });
  closeLog(log);
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  const ready = await new Promise((resolveReady) => {
    const timer = setTimeout(() => resolveReady({ error: `no answer within ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolveReady(message);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      resolveReady({ error: `the helper exited (${signal ?? `code ${code}`})` });
    });
  });
  if (!ready?.url) {
    child.kill('SIGKILL');
    throw new Error(`embedded PostgreSQL did not start: ${ready?.error ?? 'unknown error'}\n${tail(log.file)}`);
  }
  let stopping;
  return {
    url: ready.url,
    logFile: log.file,
    pid: child.pid,
    exited,
    /** Asks the helper to stop PostgreSQL cleanly (fast shutdown); kills it after 20 s. */
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          if (child.connected) {
            child.send('stop');
          } else {
            child.kill('SIGTERM');
          }
          const forced = setTimeout(() => child.kill('SIGKILL'), 20_000);
          await exited;
          clearTimeout(forced);
        }
      })();
      return stopping;
    },
  };
}
