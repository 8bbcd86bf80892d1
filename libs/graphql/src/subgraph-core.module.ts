import {
  Catch,
  Controller,
  Get,
  HttpStatus,
  Inject,
  Injectable,
  Module,
  Res,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger as TypeOrmLogger, MixedList, EntitySchema } from 'typeorm';
import { DataSource } from 'typeorm';
import { CORRELATION_HEADER, correlationIdFrom, createLogger, ErrorCode, runWithContext } from '@concord/common';
import { defaultPolicyBundle, type SystemOfRecord } from '@concord/policy';
import { federationGraphQLModule } from './federation-graphql.module';
import { SnakeNamingStrategy } from './naming.strategy';
import { MetricsController, SERVICE_METRICS, ServiceMetrics, StatementCountingLogger } from './service-metrics';
import { OutboxRelay, OutboxWriteHook, type OutboxRelayOptions } from './outbox';
import { WRITE_HOOKS, WritePoint, type WriteHook } from './write-point';
import { CONTEXT_TOKEN_PUBLIC_KEY, ContextTokenAuthenticator, ContextTokenMiddleware } from './context-token.middleware';
import { SubgraphPolicyService, type SubgraphPolicyOptions } from './policy/subgraph-policy';
import { SUBGRAPH_POLICY, WritePolicyHook } from './policy/write-policy.hook';

export interface SubgraphOptions {
  /** crm | erp | psa: also the service's Postgres schema */
  name: string;
  databaseUrl: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  poolSize?: number;
  /** statement logger (tests count statements with it) */
  queryLogger?: TypeOrmLogger;
  /** governance's `POST /audit/events`; without it the outbox fills but is not relayed */
  auditIngestUrl?: string;
  /** GOVERNANCE_TOKEN: the services' shared secret for governance's ingest and policy bundle */
  governanceToken?: string;
  /** relay tuning (tests shorten the intervals) */
  outboxRelay?: Omit<OutboxRelayOptions, 'service' | 'ingestUrl'>;
  /** where the policy bundle comes from; default: the built-in default bundle */
  policy?: SubgraphPolicyOptions;
  /** the gateway's context token public key(s), PEM text or path (CONTEXT_VERIFY_KEY); required */
  contextTokenPublicKey?: string;
  /** entity types the subgraph only extends through `_entities` (no field of its own returns them) */
  orphanedTypes?: Function[];
}

export const SUBGRAPH_OPTIONS = Symbol('SUBGRAPH_OPTIONS');

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
}
interface HttpResponse {
  setHeader(name: string, value: string): void;
  status(code: number): HttpResponse;
  json(body: unknown): void;
}

/** Fail closed (ARCHITECTURE.md §10): while no policy bundle was ever loaded, GraphQL requests get 503. */
@Injectable()
class PolicyGateMiddleware implements NestMiddleware {
  constructor(private readonly policy: SubgraphPolicyService) {}

  use(_req: HttpRequest, res: HttpResponse, next: () => void): void {
    if (this.policy.engine()) {
      next();
      return;
    }
    res.status(HttpStatus.SERVICE_UNAVAILABLE).json({
      errors: [
        {
          message: 'No policy bundle is loaded yet: requests are refused until one is',
          extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
        },
      ],
    });
  }
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
 * Hands resolver errors to the GraphQL error formatter untouched; Nest would otherwise log every expected
 * user error (NOT_FOUND, CONFLICT, …) as an unexpected one.
 */
@Catch()
class GraphQLErrorPassThrough implements GqlExceptionFilter {
  catch(error: unknown): unknown {
    return error;
  }
}

@Controller('health')
class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SUBGRAPH_OPTIONS) private readonly options: SubgraphOptions,
    private readonly policy: SubgraphPolicyService,
  ) {}

  /** 200 `ok` or `degraded` (enforcing a possibly stale bundle); 503 without the database or any policy bundle. */
  @Get()
  async health(@Res() res: HttpResponse): Promise<void> {
    const policy = this.policy.status();
    let database = 'up';
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      database = 'down';
    }
    const ready = database === 'up' && policy.ready;
    const status = !ready ? 'down' : policy.degraded ? 'degraded' : 'ok';
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status, service: this.options.name, database, policy });
  }
}

/**
 * Everything a Concord subgraph shares: TypeORM on its own schema (migrations, never synchronize), the
 * Apollo Federation 2 driver with coded error formatting, correlation ids, health and the write point.
 */
@Module({})
export class SubgraphCoreModule implements NestModule {
  static forRoot(options: SubgraphOptions): DynamicModule {
    const logger = createLogger(options.name);
    const metrics = new ServiceMetrics(options.name);
    return {
      module: SubgraphCoreModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: options.databaseUrl,
          schema: options.name,
          entities: options.entities,
          migrations: options.migrations,
          migrationsTableName: 'migrations',
          synchronize: false,
          namingStrategy: new SnakeNamingStrategy(),
          logger: new StatementCountingLogger(metrics, options.queryLogger),
          logging: ['query'],
          applicationName: `concord-${options.name}`,
          extra: { max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 },
        }),
        federationGraphQLModule(logger, options.orphanedTypes),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        WritePoint,
        { provide: OutboxWriteHook, useValue: new OutboxWriteHook(options.name) },
        // in order: ownership and CASL refuse before anything is written, the outbox records what was
        {
          provide: WRITE_HOOKS,
          useFactory: (policy: SubgraphPolicyService, outbox: OutboxWriteHook): WriteHook[] => [
            new WritePolicyHook(options.name as SystemOfRecord, policy),
            outbox,
          ],
          inject: [SubgraphPolicyService, OutboxWriteHook],
        },
        {
          provide: OutboxRelay,
          useFactory: (dataSource: DataSource, outbox: OutboxWriteHook) => {
            const relay = new OutboxRelay(dataSource, {
              ...options.outboxRelay,
              service: options.name,
              ingestUrl: options.auditIngestUrl,
              governanceToken: options.governanceToken,
            });
            // a committed write's event leaves at once, not at the next poll
            outbox.onCommit(() => relay.poke());
            metrics.observeOutbox(() => relay.backlog());
            return relay;
          },
          inject: [DataSource, OutboxWriteHook],
        },
        {
          provide: SubgraphPolicyService,
          useFactory: () =>
            new SubgraphPolicyService(
              { governanceToken: options.governanceToken, ...(options.policy ?? { bundle: defaultPolicyBundle() }) },
              logger,
            ),
        },
        { provide: SUBGRAPH_POLICY, useExisting: SubgraphPolicyService },
        { provide: SUBGRAPH_OPTIONS, useValue: options },
        { provide: CONTEXT_TOKEN_PUBLIC_KEY, useFactory: () => options.contextTokenPublicKey },
        {
          provide: ContextTokenAuthenticator,
          useFactory: (publicKey: string | undefined) => new ContextTokenAuthenticator(publicKey, logger),
          inject: [CONTEXT_TOKEN_PUBLIC_KEY],
        },
        { provide: SERVICE_METRICS, useValue: metrics },
        { provide: APP_FILTER, useClass: GraphQLErrorPassThrough },
      ],
      exports: [WritePoint, SUBGRAPH_OPTIONS, SubgraphPolicyService, SUBGRAPH_POLICY],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationMiddleware).forRoutes('*path');
    consumer.apply(ContextTokenMiddleware).forRoutes('graphql');
    consumer.apply(PolicyGateMiddleware).forRoutes('graphql');
  }
}
