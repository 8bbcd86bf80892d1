import 'reflect-metadata';
import { startService } from '@concord/graphql';
import { CrmModule } from './app.module';
import { crmConfig } from './config';

async function main(): Promise<void> {
  const config = crmConfig();
  await startService(
    CrmModule.forRoot({
      databaseUrl: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      auditIngestUrl: config.AUDIT_INGEST_URL,
      contextTokenPublicKey: config.CONTEXT_VERIFY_KEY,
    }),
    {
      name: 'crm',
      port: config.CRM_PORT,
      host: config.HOST,
    },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
