import { createLogger } from '@concord/common';
import { disableVendorTelemetry, gatewayConfig } from './config';
import { gatewayOptionsFromConfig, startGateway } from './gateway';
import { createGatewayIdentity } from './identity/gateway-identity';
import { createSlaReporting } from './metrics/sla-shipper';
import { createGatewayPolicy } from './policy/gateway-policy';

async function main(): Promise<void> {
  const config = gatewayConfig();
  disableVendorTelemetry();
  const logger = createLogger('gateway', config.logLevel);
  const identity = createGatewayIdentity(config.identity, { composeTimeoutMs: config.composeTimeoutMs, logger });
  logger.info(identity.summary, 'caller tokens and context tokens configured');
  const policy = createGatewayPolicy(config.policy, logger);
  await policy.start();
  logger.info(policy.summary, 'policy configured');
  const sla = createSlaReporting(config.sla, logger);
  logger.info(sla.summary, 'SLA reporting configured');
  const gateway = await startGateway({
    ...gatewayOptionsFromConfig(config),
    ...identity.options,
    operationSteps: policy.operationSteps,
    healthChecks: policy.healthChecks,
    slaRecorder: sla.recorder,
    logger,
  });
  const supergraph = gateway.supergraph();
  if (supergraph) {
    policy.reportUnclassified(supergraph.sdl);
  }
  logger.info({ url: gateway.url, source: supergraph?.source, hash: supergraph?.hash }, 'gateway listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, 'gateway stopping');
    // the last SLA samples go out once the requests still running have been answered
    Promise.all([gateway.close().then(() => sla.stop()), policy.stop()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  // Composition and configuration errors are written for people: print the message, not a stack.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
