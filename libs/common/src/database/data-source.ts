import { DataSource, type EntitySchema, type Logger as TypeOrmLogger, type MixedList } from 'typeorm';

export interface ServiceDataSourceOptions {
  url: string;
  /** The service's own Postgres schema (crm, erp, psa, governance). */
  schema: string;
  entities: MixedList<string | Function | EntitySchema>;
  migrations: MixedList<string | Function>;
  poolSize?: number;
  logger?: TypeOrmLogger;
  applicationName?: string;
}

/** One DataSource per service: its schema, its migrations table in that schema, never synchronize. */
export function createServiceDataSource(options: ServiceDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: options.logger ? ['query', 'error'] : ['error'],
    logger: options.logger,
    applicationName: options.applicationName ?? `concord-${options.schema}`,
    extra: { max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 },
  });
}

/**
 * Creates the service's schema, then runs pending migrations under an advisory lock, so replicas starting
 * together migrate once.
 */
export async function migrate(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`concord:migrate:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`concord:migrate:${schema}`]).catch(() => undefined);
    await runner.release();
  }
}
