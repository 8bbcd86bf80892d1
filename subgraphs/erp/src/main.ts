import 'reflect-metadata';
import { startService } from '@concord/graphql';
import { ErpModule } from './app.module';
import { erpConfig } from './config';

async function main(): Promise<void> {
  const config = erpConfig();
  await startService(
    ErpModule.forRoot({
      databaseUrl: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      auditIngestUrl: config.AUDIT_INGEST_URL,
      contextTokenPublicKey: config.CONTEXT_VERIFY_KEY,
    }),
    {
      name: 'erp',
      port: config.ERP_PORT,
      host: config.HOST,
    },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
