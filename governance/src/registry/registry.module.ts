import { Module, type DynamicModule } from '@nestjs/common';
import { PolicyModule } from '../policy/policy.module';
import { DatabaseSchemaUsage } from './client-usage';
import { ClientUsageRetentionCron } from './client-usage-retention.cron';
import { OperationSafelistService } from './operation-safelist.service';
import { RegistryController } from './registry.controller';
import { RegistryResolver } from './registry.resolver';
import { REGISTRY_OPTIONS, defaultRegistryOptions, type RegistryOptions } from './registry.options';
import { RegistryService } from './registry.service';
import { SchemaInsightsService } from './schema-insights.service';

/**
 * The schema registry (checks, versions, the supergraph, the operation safelist, client usage and its retention job);
 * the ledger comes from the global AuditModule.
 */
@Module({
  imports: [PolicyModule],
  controllers: [RegistryController],
  providers: [
    RegistryService,
    RegistryResolver,
    DatabaseSchemaUsage,
    ClientUsageRetentionCron,
    OperationSafelistService,
    SchemaInsightsService,
    { provide: REGISTRY_OPTIONS, useValue: defaultRegistryOptions },
  ],
  exports: [RegistryService, DatabaseSchemaUsage, OperationSafelistService],
})
export class RegistryModule {
  /** With options other than the defaults (grace period, usage source, window and retention, excluded clients, clock). */
  static forRoot(options: Partial<RegistryOptions>): DynamicModule {
    return {
      module: RegistryModule,
      providers: [{ provide: REGISTRY_OPTIONS, useValue: { ...defaultRegistryOptions, ...options } }],
    };
  }
}
