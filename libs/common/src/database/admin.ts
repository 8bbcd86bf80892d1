import { Client } from 'pg';

/** Same server, another database: replaces the path of a postgres:// URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new Error(`unsafe database name "${name}"`);
  }
  return `"${name}"`;
}

async function withAdmin<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function databaseExists(url: string, database: string): Promise<boolean> {
  return withAdmin(url, async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    return (result.rowCount ?? 0) > 0;
  });
}

export async function createDatabase(url: string, database: string): Promise<void> {
  await withAdmin(url, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(database)}`));
}

export async function dropDatabase(url: string, database: string): Promise<void> {
  await withAdmin(url, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`));
}

/** Creates the database named in url if it is missing (the embedded server starts with only `postgres`). */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  if (!(await databaseExists(url, name))) {
    await createDatabase(url, name).catch((error: { code?: string }) => {
      // 42P04: created meanwhile by another service
      if (error.code !== '42P04') {
        throw error;
      }
    });
  }
}
