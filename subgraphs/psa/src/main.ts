import 'reflect-metadata';
import { startService } from '@concord/graphql';
import { PsaModule } from './app.module';
import { psaConfig } from './config';

async function main(): Promise<void> {
  const config = psaConfig();
  await startService(
    PsaModule.forRoot({
      databaseUrl: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      auditIngestUrl: config.AUDIT_INGEST_URL,
      contextTokenPublicKey: config.CONTEXT_VERIFY_KEY,
    }),
    {
      name: 'psa',
      port: config.PSA_PORT,
      host: config.HOST,
    },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
