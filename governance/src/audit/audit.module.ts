import { Module, type DynamicModule } from '@nestjs/common';
import { AuditCheckpointCron } from './audit-checkpoint.cron';
import { AuditController } from './audit.controller';
import { AUDIT_OPTIONS, AuditLedgerService, type AuditOptions } from './audit-ledger.service';

export type { AuditOptions } from './audit-ledger.service';

@Module({})
export class AuditModule {
  static forRoot(options: AuditOptions): DynamicModule {
    return {
      module: AuditModule,
      // the ledger records governance's own changes too (policy versions, ownership changes)
      global: true,
      controllers: [AuditController],
      providers: [{ provide: AUDIT_OPTIONS, useValue: options }, AuditLedgerService, AuditCheckpointCron],
      exports: [AuditLedgerService],
    };
  }
}
