import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { SubgraphCoreModule, type SubgraphOptions } from '@concord/graphql';
import { ClientHealthModule } from './client/client-health.module';
import type { ClientHealthOptions } from './client/client-health.options';
import { ClientModule } from './client/client.module';
import { ContactModule } from './contact/contact.module';
import { crmEntities } from './entities';
import { crmMigrations } from './migrations';
import { OpportunityModule } from './opportunity/opportunity.module';
import { WeightedPipelineModule } from './pipeline/weighted-pipeline.module';
import { CapacityPlan } from './forecast/dtos/capacity-plan.output';
import { ForecastModule } from './forecast/forecast.module';
import { QuoteModule } from './quote/quote.module';

export interface CrmModuleOptions {
  databaseUrl: string;
  poolSize?: number;
  queryLogger?: TypeOrmLogger;
  auditIngestUrl?: string;
  contextTokenPublicKey?: string;
  outboxRelay?: SubgraphOptions['outboxRelay'];
  policy?: SubgraphOptions['policy'];
  governanceToken?: string;
  /** Client.health thresholds (defaults in client-health.options.ts; CLIENT_HEALTH_* variables at start) */
  clientHealth?: Partial<ClientHealthOptions>;
}

@Module({})
export class CrmModule {
  static forRoot({ clientHealth, ...options }: CrmModuleOptions): DynamicModule {
    return {
      module: CrmModule,
      imports: [
        // CRM adds the weighted pipeline demand to PSA's CapacityPlan, which no CRM field returns
        SubgraphCoreModule.forRoot({ name: 'crm', entities: crmEntities, migrations: crmMigrations, orphanedTypes: [CapacityPlan], ...options }),
        ClientModule,
        ClientHealthModule.forRoot(clientHealth),
        ContactModule,
        OpportunityModule,
        WeightedPipelineModule,
        ForecastModule,
        QuoteModule,
      ],
    };
  }
}
