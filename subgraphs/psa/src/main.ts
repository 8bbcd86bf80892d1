import 'reflect-metadata';
import { startService, subgraphConfig } from '@concord/graphql';
import { PsaModule } from './app.module';

async function main(): Promise<void> {
  const { port, host, options, publish } = subgraphConfig('psa', 4003);
  const { name, ...moduleOptions } = options;
  await startService(PsaModule.forRoot(moduleOptions), { name, port, host, publish });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
