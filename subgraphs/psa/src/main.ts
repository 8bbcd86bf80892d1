import 'reflect-metadata';
import { startService, subgraphConfig } from '@concord/graphql';
import { PsaModule } from './app.module';
import { deliveryKpiConfig } from './delivery-kpi/delivery-kpi.options';

async function main(): Promise<void> {
  const { port, host, options, publish } = subgraphConfig('psa', 4003);
  const { name, ...moduleOptions } = options;
  await startService(PsaModule.forRoot({ ...moduleOptions, deliveryKpi: deliveryKpiConfig() }), { name, port, host, publish });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
