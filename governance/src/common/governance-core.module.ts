import {
  HttpStatus,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { EntitySchema, Logger as TypeOrmLogger, MixedList } from 'typeorm';
import { CORRELATION_HEADER, correlationIdFrom, createLogger, ErrorCode, runWithContext, type Logger } from '@concord/common';
import { CONTEXT_TOKEN_PUBLIC_KEY, ContextTokenAuthenticator, federationGraphQLModule, SnakeNamingStrategy } from '@concord/graphql';
import { INTERNAL_TOKEN, InternalTokenGuard } from './internal-token.guard';

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
  /** the gateway's context token public key(s), PEM text or path (CONTEXT_VERIFY_KEY); without it /graphql answers 503 */
  contextTokenPublicKey?: string;
  /** GOVERNANCE_TOKEN: required on the ledger ingest and the policy bundle when set */
  internalToken?: string;
}

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
}
interface HttpResponse {
  setHeader(name: string, value: string): void;
  status(code: number): HttpResponse;
  json(body: unknown): void;
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

const NOT_CONFIGURED = {
  errors: [
    {
      message: "Governance's GraphQL API is not configured: CONTEXT_VERIFY_KEY (the gateway's context-token public key) is not set",
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
    },
  ],
};

/**
 * Governance's GraphQL API answers only the gateway, like every subgraph (ARCHITECTURE.md §5.4): a valid context
 * token puts the caller (sub, roles) into the request context, anything else gets 401. Without a configured key it
 * fails closed with 503, so the ledger ingest and the policy bundle keep working while the API is not set up.
 */
@Injectable()
class GraphQLCallerMiddleware implements NestMiddleware {
  private readonly authenticator: ContextTokenAuthenticator | undefined;

  constructor(@Inject(CONTEXT_TOKEN_PUBLIC_KEY) publicKey: string | undefined, @Inject(GOVERNANCE_LOGGER) logger: Logger) {
    this.authenticator = publicKey ? new ContextTokenAuthenticator(publicKey, logger) : undefined;
    if (!this.authenticator) {
      logger.warn('CONTEXT_VERIFY_KEY is not set: /graphql refuses every request (503) until it is');
    }
  }

  use(req: HttpRequest, res: HttpResponse, next: () => void): void {
    if (!this.authenticator) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE).json(NOT_CONFIGURED);
      return;
    }
    this.authenticator.handle(req, res, next);
  }
}

/**
 * What SubgraphCoreModule gives a subgraph: TypeORM on the `governance` schema (migrations, never synchronize,
 * snake_case columns), a logger, correlation ids, and the Apollo Federation 2 driver (subgraph `governance`) with
 * the same coded error formatting, behind the gateway's context token.
 */
@Module({})
export class GovernanceCoreModule implements NestModule {
  static forRoot(options: GovernanceCoreOptions): DynamicModule {
    const logger = createLogger(GOVERNANCE_SCHEMA, options.logLevel);
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
        federationGraphQLModule(logger),
      ],
      providers: [
        { provide: GOVERNANCE_LOGGER, useValue: logger },
        // a provider of its own so tests give the service their key pair (see @concord/testing startTestService)
        { provide: CONTEXT_TOKEN_PUBLIC_KEY, useFactory: () => options.contextTokenPublicKey },
        { provide: INTERNAL_TOKEN, useValue: options.internalToken },
        InternalTokenGuard,
      ],
      exports: [GOVERNANCE_LOGGER, INTERNAL_TOKEN, InternalTokenGuard],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationMiddleware).forRoutes('*path');
    consumer.apply(GraphQLCallerMiddleware).forRoutes('graphql');
  }
}
