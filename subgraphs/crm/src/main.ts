import 'reflect-metadata';
import { startService, subgraphConfig } from '@concord/graphql';
import { CrmModule } from './app.module';
import { clientHealthConfig } from './client/client-health.options';

async function main(): Promise<void> {
  const { port, host, options, publish } = subgraphConfig('crm', 4001);
  const { name, ...moduleOptions } = options;
  await startService(CrmModule.forRoot({ ...moduleOptions, clientHealth: clientHealthConfig() }), { name, port, host, publish });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
