import 'reflect-metadata';
import { startService, subgraphConfig } from '@concord/graphql';
import { ErpModule } from './app.module';

async function main(): Promise<void> {
  const { port, host, options, publish } = subgraphConfig('erp', 4002);
  const { name, ...moduleOptions } = options;
  await startService(ErpModule.forRoot(moduleOptions), { name, port, host, publish });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
