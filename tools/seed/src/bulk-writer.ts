import type { ClientBase } from 'pg';

export type CellValue = string | number | boolean | null | Date | readonly string[] | Record<string, unknown>;
export type Row = Record<string, CellValue>;

interface ColumnInfo {
  name: string;
  /** format_type(): e.g. numeric(18,2), character(3), timestamp(3) with time zone, uuid[] */
  type: string;
  nullable: boolean;
  hasDefault: boolean;
}

interface Batch {
  table: TableBuffer;
  columns: string[];
  values: (string | null)[][];
  count: number;
}

export interface TableStats {
  table: string;
  rows: number;
  ms: number;
}

/** Reads the columns of every table of the given schemas (one statement). */
async function describeTables(client: ClientBase, schemas: readonly string[]): Promise<Map<string, ColumnInfo[]>> {
  const { rows } = await client.query<{ table_name: string; name: string; type: string; nullable: boolean; has_default: boolean }>(
    `SELECT n.nspname || '.' || c.relname AS table_name, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            NOT a.attnotnull AS nullable, a.atthasdef AS has_default
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [schemas],
  );
  const tables = new Map<string, ColumnInfo[]>();
  for (const row of rows) {
    const columns = tables.get(row.table_name) ?? [];
    columns.push({ name: row.name, type: row.type, nullable: row.nullable, hasDefault: row.has_default });
    tables.set(row.table_name, columns);
  }
  return tables;
}

/** `{a,b}` literal for an array column (elements quoted and escaped). */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

function toText(value: CellValue | undefined, table: string, column: string): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  if (typeof value === 'number') {
    // Money and hours are decimal strings; a JS number here must be an exact integer (counts, days, versions).
    if (!Number.isSafeInteger(value)) {
      throw new Error(`${table}.${column}: non-integer number ${value}; pass decimals as strings`);
    }
    return String(value);
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (Array.isArray(value)) {
    return arrayLiteral(value as readonly string[]);
  }
  return JSON.stringify(value);
}

/** Buffers the rows of one table column by column and inserts them with one `INSERT … SELECT FROM unnest(…)`. */
export class TableBuffer {
  private columns: string[] | null = null;
  private values: (string | null)[][] = [];
  private pending = 0;
  rowCount = 0;
  ms = 0;

  constructor(
    readonly table: string,
    private readonly info: ColumnInfo[],
  ) {}

  get size(): number {
    return this.pending;
  }

  push(row: Row): void {
    if (!this.columns) {
      this.columns = this.checkColumns(Object.keys(row));
    }
    const columns = this.columns;
    if (Object.keys(row).length !== columns.length) {
      throw new Error(`${this.table}: every row must set the same columns (${columns.join(', ')}), got ${Object.keys(row).join(', ')}`);
    }
    for (let i = 0; i < columns.length; i++) {
      this.values[i].push(toText(row[columns[i]], this.table, columns[i]));
    }
    this.pending++;
  }

  /** The migration is the truth: fail clearly when the generator and the schema disagree. */
  private checkColumns(names: string[]): string[] {
    const known = new Map(this.info.map((column) => [column.name, column]));
    const unknown = names.filter((name) => !known.has(name));
    if (unknown.length) {
      throw new Error(`${this.table} has no column ${unknown.join(', ')}: the seed is out of date with the migrations`);
    }
    const missing = this.info
      .filter((column) => !column.nullable && !column.hasDefault && !names.includes(column.name))
      .map((column) => column.name);
    if (missing.length) {
      throw new Error(`${this.table} requires ${missing.join(', ')}: the seed is out of date with the migrations`);
    }
    this.values = names.map(() => []);
    return names;
  }

  /** Takes the buffered rows out (synchronously); `insert` writes them later. */
  take(): Batch | null {
    if (!this.columns || this.pending === 0) {
      return null;
    }
    const batch: Batch = { table: this, columns: this.columns, values: this.values, count: this.pending };
    this.values = this.columns.map(() => []);
    this.pending = 0;
    return batch;
  }

  /** Inserts a batch with one `INSERT … SELECT … FROM unnest($1::text[], …)`, casting to the column types. */
  async insert(client: ClientBase, batch: Batch): Promise<void> {
    const started = performance.now();
    const types = new Map(this.info.map((column) => [column.name, column.type]));
    const list = batch.columns.map((column) => `"${column}"`).join(', ');
    const casts = batch.columns.map((column, i) => `c${i}::${types.get(column)}`).join(', ');
    const sources = batch.columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
    const aliases = batch.columns.map((_, i) => `c${i}`).join(', ');
    await client.query(`INSERT INTO ${this.table} (${list}) SELECT ${casts} FROM unnest(${sources}) AS u(${aliases})`, batch.values);
    this.rowCount += batch.count;
    this.ms += performance.now() - started;
  }
}

/**
 * Bulk loads many tables through one connection. Tables are declared parents first; a table is only inserted
 * after every table declared before it, so foreign keys always find their parent rows while memory stays
 * bounded (chunks of a few thousand rows).
 */
export class BulkLoader {
  private readonly tables: TableBuffer[] = [];
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: ClientBase,
    private readonly described: Map<string, ColumnInfo[]>,
    readonly chunkSize: number,
  ) {}

  static async open(client: ClientBase, schemas: readonly string[], chunkSize = 5000): Promise<BulkLoader> {
    return new BulkLoader(client, await describeTables(client, schemas), chunkSize);
  }

  hasTable(table: string): boolean {
    return this.described.has(table);
  }

  /** Declares the next table in foreign-key order. */
  table(table: string): TableBuffer {
    const info = this.described.get(table);
    if (!info) {
      throw new Error(`table ${table} does not exist: run \`npm start\` (or start the subgraphs once) to migrate first`);
    }
    const buffer = new TableBuffer(table, info);
    this.tables.push(buffer);
    return buffer;
  }

  /**
   * Takes every table up to the last one whose buffer reached the chunk size (parents before children) and
   * inserts them in the background, after the batches taken before: the caller generates the next rows while
   * PostgreSQL inserts these. The rows are taken synchronously, so a batch never holds a child without its
   * parent. Await the returned promise before taking the next batch to keep memory bounded.
   */
  flushFull(): Promise<void> {
    let last = -1;
    this.tables.forEach((table, index) => {
      if (table.size >= this.chunkSize) {
        last = index;
      }
    });
    return this.enqueue(this.tables.slice(0, last + 1));
  }

  /** Inserts everything still buffered (after the batches in flight). */
  flushAll(): Promise<void> {
    return this.enqueue(this.tables);
  }

  private enqueue(tables: TableBuffer[]): Promise<void> {
    const batches = tables.map((table) => table.take()).filter((batch): batch is Batch => batch !== null);
    const done = this.queue.then(async () => {
      for (const batch of batches) {
        await batch.table.insert(this.client, batch);
      }
    });
    this.queue = done;
    done.catch(() => undefined); // awaited by the caller; never an unhandled rejection in between
    return done;
  }

  stats(): TableStats[] {
    return this.tables.map((table) => ({ table: table.table, rows: table.rowCount, ms: table.ms }));
  }
}
