import { Injectable, Module, type DynamicModule, type MiddlewareConsumer, type NestMiddleware, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { EntitySchema, Logger as TypeOrmLogger, MixedList } from 'typeorm';
import { CORRELATION_HEADER, correlationIdFrom, createLogger, runWithContext } from '@concord/common';
import { SnakeNamingStrategy } from '@concord/graphql';

/** The service's Postgres schema; also the name startService migrates under. */
export const GOVERNANCE_SCHEMA = 'governance';

/** Injection token of the service's pino logger. */
export const GOVERNANCE_LOGGER = Symbol('GOVERNANCE_LOGGER');

export interface GovernanceCoreOptions {
  databaseUrl: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  poolSize?: number;
  logLevel?: string;
  queryLogger?: TypeOrmLogger;
}

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
}
interface HttpResponse {
  setHeader(name: string, value: string): void;
}

/** Runs each request inside its correlation context so every log line carries the id. */
@Injectable()
class CorrelationMiddleware implements NestMiddleware {
  use(req: HttpRequest, res: HttpResponse, next: () => void): void {
    const correlationId = correlationIdFrom(req.headers[CORRELATION_HEADER]);
    res.setHeader(CORRELATION_HEADER, correlationId);
    runWithContext({ correlationId }, next);
  }
}

/**
 * What SubgraphCoreModule gives a subgraph, minus GraphQL: TypeORM on the `governance` schema (migrations,
 * never synchronize, snake_case columns), a logger and correlation ids. The GraphQL API comes later.
 */
@Module({})
export class GovernanceCoreModule implements NestModule {
  static forRoot(options: GovernanceCoreOptions): DynamicModule {
    return {
      module: GovernanceCoreModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: options.databaseUrl,
          schema: GOVERNANCE_SCHEMA,
          entities: options.entities,
          migrations: options.migrations,
          migrationsTableName: 'migrations',
          synchronize: false,
          namingStrategy: new SnakeNamingStrategy(),
          logger: options.queryLogger,
          logging: options.queryLogger ? ['query'] : false,
          applicationName: `concord-${GOVERNANCE_SCHEMA}`,
          extra: { max: options.poolSize ?? 5, idleTimeoutMillis: 30_000 },
        }),
      ],
      providers: [{ provide: GOVERNANCE_LOGGER, useValue: createLogger(GOVERNANCE_SCHEMA, options.logLevel) }],
      exports: [GOVERNANCE_LOGGER],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationMiddleware).forRoutes('*path');
  }
}
