import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { SubgraphCoreModule, type SubgraphOptions } from '@concord/graphql';
import { BillingExceptionModule } from './billing-exception/billing-exception.module';
import { IntercompanyModule } from './intercompany/intercompany.module';
import { BillingScheduleModule } from './billing-schedule/billing-schedule.module';
import { ClientModule } from './client/client.module';
import { ContractModule } from './contract/contract.module';
import { CurrencyModule } from './currency/currency.module';
import { InvoiceModule } from './invoice/invoice.module';
import { LegalCustomerModule } from './legal-customer/legal-customer.module';
import { LegalEntityModule } from './legal-entity/legal-entity.module';
import { PaymentModule } from './payment/payment.module';
import { FinanceKpiModule } from './finance-kpi/finance-kpi.module';
import { ForecastModule } from './forecast/forecast.module';
import { ProjectModule } from './project/project.module';
import { RateCardModule } from './rate-card/rate-card.module';
import { RevenueEntryModule } from './revenue-entry/revenue-entry.module';
import { erpEntities } from './entities';
import { erpMigrations } from './migrations';

export interface ErpModuleOptions {
  databaseUrl: string;
  poolSize?: number;
  queryLogger?: TypeOrmLogger;
  auditIngestUrl?: string;
  contextTokenPublicKey?: string;
  outboxRelay?: SubgraphOptions['outboxRelay'];
  policy?: SubgraphOptions['policy'];
  governanceToken?: string;
}

@Module({})
export class ErpModule {
  static forRoot(options: ErpModuleOptions): DynamicModule {
    return {
      module: ErpModule,
      imports: [
        SubgraphCoreModule.forRoot({ name: 'erp', entities: erpEntities, migrations: erpMigrations, ...options }),
        // context modules
        LegalEntityModule,
        CurrencyModule,
        LegalCustomerModule,
        RateCardModule,
        ContractModule,
        BillingScheduleModule,
        ClientModule,
        InvoiceModule,
        PaymentModule,
        RevenueEntryModule,
        ProjectModule,
        BillingExceptionModule,
        IntercompanyModule,
        FinanceKpiModule,
        ForecastModule,
      ],
    };
  }
}
