import 'reflect-metadata';
import { join } from 'node:path';
import { createLogger } from '@concord/common';
import { startService } from '@concord/graphql';
import { GovernanceModule, subgraphTargetsOf } from './app.module';
import { consoleOptionsOf, governanceConfig, workflowOptionsOf } from './config';

async function main(): Promise<void> {
  const config = governanceConfig();
  if (!config.GOVERNANCE_TOKEN) {
    createLogger('governance').warn(
      'GOVERNANCE_TOKEN is not set: anyone who reaches this port can append to the audit ledger and read the policy bundle',
    );
  }
  if (config.SLA_WEBHOOK_URL && !config.SLA_WEBHOOK_SECRET) {
    createLogger('governance').warn('SLA_WEBHOOK_SECRET is not set: SLA webhook notifications go out unsigned');
  }
  await startService(
    GovernanceModule.forRoot({
      databaseUrl: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      subgraphs: subgraphTargetsOf(config),
      jobs: config.GOVERNANCE_JOBS === 'on',
      probeTimeoutMs: config.SUBGRAPH_PROBE_TIMEOUT_MS,
      audit: { checkpointEvery: config.AUDIT_CHECKPOINT_EVERY, signingKey: config.AUDIT_SIGNING_KEY, keyDir: config.AUDIT_KEY_DIR },
      contextTokenPublicKey: config.CONTEXT_VERIFY_KEY,
      internalToken: config.GOVERNANCE_TOKEN,
      registry: {
        deprecationGraceDays: config.REGISTRY_DEPRECATION_GRACE_DAYS,
        usageWindowDays: config.REGISTRY_USAGE_WINDOW_DAYS,
        usageRetentionDays: config.REGISTRY_USAGE_RETENTION_DAYS,
        // unset keeps the registry's default (nobody excluded)
        ...(config.REGISTRY_EXCLUDED_CLIENTS
          ? {
              excludedClients: config.REGISTRY_EXCLUDED_CLIENTS.split(',')
                .map((client) => client.trim())
                .filter(Boolean),
            }
          : {}),
      },
      sla: {
        retentionDays: config.SLA_RETENTION_DAYS,
        minEvents: config.SLA_MIN_EVENTS,
        webhookUrl: config.SLA_WEBHOOK_URL,
        webhookSecret: config.SLA_WEBHOOK_SECRET,
        webhookMaxAttempts: config.SLA_WEBHOOK_MAX_ATTEMPTS,
        webhookBackoffMs: config.SLA_WEBHOOK_BACKOFF_MS,
        webhookTimeoutMs: config.SLA_WEBHOOK_TIMEOUT_MS,
      },
      workflows: workflowOptionsOf(config),
      // dist/main.js → governance/console/dist
      console: consoleOptionsOf(config, join(__dirname, '..', 'console', 'dist')),
      callers: {
        jwksUrl: config.JWT_JWKS_URL,
        publicKey: config.JWT_PUBLIC_KEY,
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        algorithms: config.JWT_ALGORITHMS?.split(',')
          .map((algorithm) => algorithm.trim())
          .filter(Boolean),
      },
    }),
    // a full audit batch (5,000 events) is several MB of JSON
    {
      name: 'governance',
      port: config.GOVERNANCE_PORT,
      host: config.HOST,
      bodyLimit: '32mb',
      // its auditors' and stewards' API is a subgraph like the others: published to its own registry
      publish:
        config.SCHEMA_PUBLISH === 'on'
          ? {
              subgraph: 'governance',
              governanceUrl: `http://${['0.0.0.0', '::'].includes(config.HOST) ? '127.0.0.1' : config.HOST}:${config.GOVERNANCE_PORT}`,
              token: config.GOVERNANCE_TOKEN,
              routingUrl: config.ROUTING_URL,
              author: config.SCHEMA_PUBLISH_AUTHOR,
            }
          : undefined,
    },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
