import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { SubgraphCoreModule, type SubgraphOptions } from '@concord/graphql';
import { ChangeOrderModule } from './change-order/change-order.module';
import { ClientExtensionModule } from './client/client.module';
import { LegalEntityExtensionModule } from './legal-entity/legal-entity.module';
import { LegalEntityExtension } from './legal-entity/legal-entity.type';
import { AssignmentModule } from './assignment/assignment.module';
import { ExpenseModule } from './expense/expense.module';
import { MilestoneModule } from './milestone/milestone.module';
import { ProjectModule } from './project/project.module';
import { TaskModule } from './task/task.module';
import { ProjectCostModule } from './project-cost/project-cost.module';
import { ResourceRequestModule } from './resource-request/resource-request.module';
import { ResourceModule } from './resource/resource.module';
import { TimeEntryModule } from './time-entry/time-entry.module';
import { UtilizationModule } from './utilization/utilization.module';
import { DeliveryKpiModule } from './delivery-kpi/delivery-kpi.module';
import { BillableWorkModule } from './billable-work/billable-work.module';
import { ForecastModule } from './forecast/forecast.module';
import type { DeliveryKpiOptions } from './delivery-kpi/delivery-kpi.options';
import { psaEntities } from './entities';
import { psaMigrations } from './migrations';

export interface PsaModuleOptions {
  databaseUrl: string;
  poolSize?: number;
  queryLogger?: TypeOrmLogger;
  auditIngestUrl?: string;
  contextTokenPublicKey?: string;
  outboxRelay?: SubgraphOptions['outboxRelay'];
  policy?: SubgraphOptions['policy'];
  governanceToken?: string;
  /** KPI and anomaly thresholds (defaults in delivery-kpi.options.ts; KPI_* variables at start) */
  deliveryKpi?: Partial<DeliveryKpiOptions>;
}

@Module({})
export class PsaModule {
  static forRoot({ deliveryKpi, ...options }: PsaModuleOptions): DynamicModule {
    return {
      module: PsaModule,
      imports: [
        // LegalEntity is reached only through ERP (no PSA field returns it): list it so PSA can add its cost to it
        SubgraphCoreModule.forRoot({
          name: 'psa',
          entities: psaEntities,
          migrations: psaMigrations,
          orphanedTypes: [LegalEntityExtension],
          ...options,
        }),
        // context modules
        ProjectModule,
        TaskModule,
        MilestoneModule,
        ChangeOrderModule,
        ClientExtensionModule,
        LegalEntityExtensionModule,
        ResourceModule,
        ResourceRequestModule,
        AssignmentModule,
        TimeEntryModule,
        ExpenseModule,
        UtilizationModule,
        ProjectCostModule,
        DeliveryKpiModule.forRoot(deliveryKpi),
        BillableWorkModule,
        ForecastModule,
      ],
    };
  }
}
