import { Module, type DynamicModule } from '@nestjs/common';
import { PolicyModule } from '../policy/policy.module';
import { IncidentService } from './incident.service';
import { SlaController } from './sla.controller';
import { SlaCron } from './sla.cron';
import { SlaLeader } from './sla-leader';
import { SLA_OPTIONS, defaultSlaOptions, type SlaOptions } from './sla.options';
import { SlaReportService } from './sla-report.service';
import { IncidentChangesResolver, SlaResolver } from './sla.resolver';
import { SlaInsightsService } from './sla-insights.service';
import { SlaSampleService } from './sla-sample.service';
import { SloEvaluator } from './slo-evaluator';
import { SloService } from './slo.service';
import { WebhookDeliveryService } from './webhook-delivery.service';

export type { SlaOptions } from './sla.options';

/**
 * SLA monitoring (ARCHITECTURE.md §8): the gateways' samples, SLOs as data, their evaluation with multi-window burn
 * rates on the leader replica, incidents, the webhook outbox and reports; the ledger comes from the global AuditModule.
 */
@Module({})
export class SlaModule {
  static forRoot(options: Partial<SlaOptions>): DynamicModule {
    return {
      module: SlaModule,
      imports: [PolicyModule],
      controllers: [SlaController],
      providers: [
        { provide: SLA_OPTIONS, useValue: { ...defaultSlaOptions, ...options } },
        SlaSampleService,
        SloService,
        IncidentService,
        SloEvaluator,
        SlaLeader,
        WebhookDeliveryService,
        SlaReportService,
        SlaCron,
        SlaResolver,
        SlaInsightsService,
        IncidentChangesResolver,
      ],
      exports: [SlaSampleService, SloService, IncidentService, SloEvaluator, SlaLeader, WebhookDeliveryService, SlaCron],
    };
  }
}
