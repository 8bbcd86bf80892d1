import { Module, type DynamicModule } from '@nestjs/common';
import { PolicyModule } from '../policy/policy.module';
import { changeOrderFlow } from './flows/change-order';
import { forecastSnapshot } from './flows/forecast-snapshot';
import { intercompany } from './flows/intercompany';
import { invoiceRun, milestoneAccepted } from './flows/invoice-run';
import { invoiceCancelled, invoicePosted } from './flows/invoice-sources';
import { opportunityToProject } from './flows/opportunity-to-project';
import { renewal } from './flows/renewal';
import { revenueRecognition } from './flows/revenue-recognition';
import { WORKFLOW_DEFINITIONS, type WorkflowDefinition } from './workflow-definition';
import { ExceptionCaseResolver } from './exception-case.resolver';
import { ExceptionCaseStore } from './exception-case.store';
import { SetupCycleService } from './setup-cycle.service';
import { WorkflowEngine } from './workflow-engine';
import { WorkflowCron } from './workflow.cron';
import { WorkflowResolver } from './workflow.resolver';
import { WorkflowRunStore } from './workflow-run.store';
import { WorkflowTriggers } from './workflow-triggers';
import { WORKFLOW_OPTIONS, defaultWorkflowOptions, type WorkflowOptions } from './workflow.options';

export type { WorkflowOptions } from './workflow.options';

export interface WorkflowModuleOptions extends Partial<WorkflowOptions> {
  /** the flows (default WORKFLOWS); tests give their own */
  definitions?: readonly WorkflowDefinition[];
}

/** Every flow this version of governance runs. */
export const WORKFLOWS: readonly WorkflowDefinition[] = [
  opportunityToProject,
  changeOrderFlow,
  invoicePosted,
  invoiceCancelled,
  renewal,
  milestoneAccepted,
  invoiceRun,
  intercompany,
  forecastSnapshot,
  revenueRecognition,
];

/**
 * Cross-system workflows (ARCHITECTURE.md §9): runs started from the audit ledger, a durable queue in PostgreSQL,
 * workers that call the gateway as `integration`, the exception queue and stewards' replays; the ledger comes from
 * the global AuditModule.
 */
@Module({})
export class WorkflowModule {
  static forRoot(options: WorkflowModuleOptions): DynamicModule {
    const { definitions = WORKFLOWS, ...rest } = options;
    return {
      module: WorkflowModule,
      imports: [PolicyModule],
      providers: [
        { provide: WORKFLOW_OPTIONS, useValue: { ...defaultWorkflowOptions, ...rest } },
        { provide: WORKFLOW_DEFINITIONS, useValue: definitions },
        WorkflowRunStore,
        ExceptionCaseStore,
        ExceptionCaseResolver,
        WorkflowEngine,
        WorkflowTriggers,
        WorkflowCron,
        WorkflowResolver,
        SetupCycleService,
      ],
      exports: [WorkflowRunStore, WorkflowEngine, WorkflowCron],
    };
  }
}
