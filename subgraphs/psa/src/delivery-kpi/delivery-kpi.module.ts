import { Module, type DynamicModule } from '@nestjs/common';
import { ClockModule } from '@concord/graphql';
import { DeliveryAnomalyService } from './delivery-anomaly.service';
import { DEFAULT_DELIVERY_KPI_OPTIONS, DELIVERY_KPI_OPTIONS, type DeliveryKpiOptions } from './delivery-kpi.options';
import { DeliveryKpiResolver, ProjectDeliveryKpiResolver, ResourceDeliveryKpiResolver } from './delivery-kpi.resolver';
import { DeliveryKpiService } from './delivery-kpi.service';
import { EarnedValueService } from './earned-value.service';

/** Delivery KPIs and anomaly flags (issue 6): read-only aggregates over time, expenses, projects and resources. */
@Module({})
export class DeliveryKpiModule {
  static forRoot(options: Partial<DeliveryKpiOptions> = {}): DynamicModule {
    return {
      module: DeliveryKpiModule,
      imports: [ClockModule],
      providers: [
        { provide: DELIVERY_KPI_OPTIONS, useValue: { ...DEFAULT_DELIVERY_KPI_OPTIONS, ...options } },
        DeliveryKpiService,
        EarnedValueService,
        DeliveryAnomalyService,
        DeliveryKpiResolver,
        ProjectDeliveryKpiResolver,
        ResourceDeliveryKpiResolver,
      ],
      exports: [DeliveryAnomalyService, EarnedValueService],
    };
  }
}
