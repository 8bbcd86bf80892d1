import { Module } from '@nestjs/common';
import {
  ClientFinanceKpiResolver,
  ContractFinanceKpiResolver,
  FinanceKpiResolver,
  LegalEntityFinanceKpiResolver,
  ProjectFinanceKpiResolver,
} from './finance-kpi.resolver';
import { FinanceKpiService } from './finance-kpi.service';

/** Finance KPIs (DOMAIN.md §3) on the portfolio and on Client, Project, LegalEntity and Contract. */
@Module({
  providers: [
    FinanceKpiService,
    FinanceKpiResolver,
    ClientFinanceKpiResolver,
    ProjectFinanceKpiResolver,
    LegalEntityFinanceKpiResolver,
    ContractFinanceKpiResolver,
  ],
})
export class FinanceKpiModule {}
