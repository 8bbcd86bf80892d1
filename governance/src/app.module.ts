import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { AuditModule, type AuditCallerOptions, type AuditOptions } from './audit/audit.module';
import { GovernanceCoreModule } from './common/governance-core.module';
import type { GovernanceConfig } from './config';
import { governanceEntities } from './entities';
import { HealthModule } from './health/health.module';
import { governanceMigrations } from './migrations';
import { PolicyModule } from './policy/policy.module';
import { RegistryModule } from './registry/registry.module';
import type { RegistryOptions } from './registry/registry.options';
import { SlaModule, type SlaOptions } from './sla/sla.module';
import { SubgraphModule, type SubgraphTarget } from './subgraph/subgraph.module';
import { ConsoleModule, type ConsoleOptions } from './console/console.module';
import { WorkflowModule, type WorkflowModuleOptions } from './workflow/workflow.module';

export interface GovernanceModuleOptions {
  databaseUrl: string;
  poolSize?: number;
  /** the subgraphs whose /health the scheduler probes */
  subgraphs: SubgraphTarget[];
  /** periodic jobs (GOVERNANCE_JOBS): off in tests and on replicas that must not schedule */
  jobs: boolean;
  probeTimeoutMs?: number;
  /** pino level; tests pass 'silent' */
  logLevel?: string;
  queryLogger?: TypeOrmLogger;
  /** the audit ledger: checkpoint interval and signing key (defaults: every 1000 events, dev key in .data/keys) */
  audit?: Partial<AuditOptions>;
  /** the gateway's context-token public key(s) (CONTEXT_VERIFY_KEY); without it /graphql answers 503 */
  contextTokenPublicKey?: string;
  /** GOVERNANCE_TOKEN: the services' shared secret for the ledger ingest and the policy bundle (open without it) */
  internalToken?: string;
  /** how callers' JWTs are verified for GET /audit/export (JWT_*); without keys the export answers 503 */
  callers?: AuditCallerOptions;
  /** schema registry checks and client usage (REGISTRY_*); tests pass a clock. Usage retention follows `jobs`. */
  registry?: Partial<RegistryOptions>;
  /** SLA monitoring: retention, low-traffic minimum, webhook (SLA_*); tests pass a clock. Its jobs follow `jobs`. */
  sla?: Partial<SlaOptions>;
  /** cross-system workflows: workers (WORKFLOWS) and how they reach the gateway (WORKFLOW_*); off without options */
  workflows?: WorkflowModuleOptions;
  /** the console at /console: its built files, the gateway it talks to, dev sign-in; off without options */
  console?: ConsoleOptions;
}

/**
 * The governance control plane. Today: its schema, subgraph health probing, /health, the audit ledger and the
 * versioned policy bundle with data stewards' ownership changes, the schema registry, SLA monitoring (SLOs,
 * incidents, webhook, reports), cross-system workflows with their exception queue; its GraphQL API (subgraph `governance`: auditors' ledger queries, data stewards'
 * ownership rules, operators' SLOs and incidents) behind the gateway's context token, and the auditors' export.
 */
@Module({})
export class GovernanceModule {
  static forRoot(options: GovernanceModuleOptions): DynamicModule {
    const { subgraphs, jobs, probeTimeoutMs, audit, callers, registry, sla, workflows, console: consoleOptions, ...core } = options;
    return {
      module: GovernanceModule,
      imports: [
        GovernanceCoreModule.forRoot({ ...core, entities: governanceEntities, migrations: governanceMigrations }),
        // Without the schedule module the @Cron methods are inert metadata: that is how GOVERNANCE_JOBS=off works.
        ...(jobs ? [ScheduleModule.forRoot()] : []),
        SubgraphModule.forRoot({ targets: subgraphs, jobs, probeTimeoutMs: probeTimeoutMs ?? 2_000 }),
        HealthModule,
        AuditModule.forRoot({ checkpointEvery: 1_000, keyDir: '.data/keys', ...audit }, callers),
        PolicyModule,
        RegistryModule.forRoot(registry ?? {}),
        SlaModule.forRoot(sla ?? {}),
        WorkflowModule.forRoot(workflows ?? {}),
        ...(consoleOptions ? [ConsoleModule.forRoot(consoleOptions)] : []),
      ],
    };
  }
}

/** The subgraphs to probe (CRM_URL, ERP_URL, PSA_URL); one set empty is not probed. */
export function subgraphTargetsOf(config: Pick<GovernanceConfig, 'CRM_URL' | 'ERP_URL' | 'PSA_URL'>): SubgraphTarget[] {
  const targets: [string, string | undefined][] = [
    ['crm', config.CRM_URL],
    ['erp', config.ERP_URL],
    ['psa', config.PSA_URL],
  ];
  return targets.filter((target): target is [string, string] => Boolean(target[1])).map(([name, routingUrl]) => ({ name, routingUrl }));
}
