import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Money } from '@concord/graphql';
import { ProjectExtension } from '../../project/project.type';

@ObjectType('DsoFigure', { description: 'Days sales outstanding in one currency: receivables / creditSales × days of the period.' })
export class DsoFigure {
  @Field()
  currency: string;

  @Field(() => Money, { description: 'Receivables (amount still due) as of the end of the period.' })
  receivables: Money;

  @Field(() => Money, { description: 'Invoiced in the period (totals of posted invoices less credit notes).' })
  creditSales: Money;

  @Field(() => String, { nullable: true, description: 'Days, 2 decimals; null when there were no credit sales in the period.' })
  days: string | null;
}

@ObjectType('ArAgeing', { description: 'Receivables as of the end of the period by days past their due date, in one currency.' })
export class ArAgeing {
  @Field()
  currency: string;

  @Field(() => Money, { description: 'Not yet due.' })
  current: Money;

  @Field(() => Money, { description: '1 to 30 days past due.' })
  overdue1To30: Money;

  @Field(() => Money, { description: '31 to 60 days past due.' })
  overdue31To60: Money;

  @Field(() => Money, { description: '61 to 90 days past due.' })
  overdue61To90: Money;

  @Field(() => Money, { description: 'More than 90 days past due.' })
  overdueOver90: Money;

  @Field(() => Money, { description: 'Sum of the buckets.' })
  total: Money;
}

@ObjectType('InvoiceCycleTime', {
  description: 'Days from the end of the billed period (issue date when not given) to posting, of invoices posted in the period.',
})
export class InvoiceCycleTime {
  @Field(() => Int)
  invoices: number;

  @Field(() => String, { nullable: true, description: 'Average days, 2 decimals; null without invoices.' })
  averageDays: string | null;

  @Field(() => Int, { nullable: true, description: '90th percentile (nearest rank) in days; null without invoices.' })
  p90Days: number | null;
}

@ObjectType('InvoiceAccuracy', { description: 'Credit notes against the invoices issued in the period, in one currency.' })
export class InvoiceAccuracy {
  @Field()
  currency: string;

  @Field(() => Int, { description: 'Invoices issued (posted) in the period.' })
  invoices: number;

  @Field(() => Int, { description: 'Of those, invoices with at least one credit note by the end of the period.' })
  creditedInvoices: number;

  @Field(() => Money, { description: 'Totals of the invoices issued in the period.' })
  invoicedAmount: Money;

  @Field(() => Money, { description: 'Totals of the credit notes against them by the end of the period.' })
  creditedAmount: Money;

  @Field(() => String, { description: 'creditedInvoices / invoices × 100, 2 decimals.' })
  creditedCountPct: string;

  @Field(() => String, { description: 'creditedAmount / invoicedAmount × 100, 2 decimals.' })
  creditedAmountPct: string;
}

@ObjectType('WriteOffTotal', { description: 'Write-offs dated in the period, in one currency (the ERP part of revenue leakage).' })
export class WriteOffTotal {
  @Field()
  currency: string;

  @Field(() => Int)
  count: number;

  @Field(() => Money)
  amount: Money;
}

@ObjectType('FunctionalCurrencyKpis', {
  description:
    "A legal entity's money KPIs converted to its functional currency with FxRate: each currency's figure at the latest rate dated on or before the end of the period, then added.",
})
export class FunctionalCurrencyKpis {
  @Field({ description: 'The functional currency of the legal entity.' })
  currency: string;

  @Field({ description: 'The FX date used: the end of the period.' })
  fxDate: string;

  @Field(() => Money)
  receivables: Money;

  @Field(() => Money)
  creditSales: Money;

  @Field(() => String, { nullable: true, description: 'DSO on the converted figures, 2 decimals.' })
  dsoDays: string | null;

  @Field(() => Money)
  backlog: Money;

  @Field(() => Money)
  unbilled: Money;

  @Field(() => Money)
  revenueRecognized: Money;

  @Field(() => Money)
  writeOffs: Money;
}

@ObjectType('FinanceKpis', {
  description:
    'Finance KPIs of a period (DOMAIN.md §3), one row per currency, never adding currencies together (except in inFunctionalCurrency, converted).',
})
export class FinanceKpis {
  @Field()
  from: string;

  @Field()
  to: string;

  @Field(() => Int, { description: 'Days in the period (inclusive).' })
  days: number;

  @Field(() => [DsoFigure])
  dso: DsoFigure[];

  @Field(() => [ArAgeing])
  arAgeing: ArAgeing[];

  @Field(() => [Money], {
    description: 'Signed contracts (ACTIVE, SUSPENDED) value − revenue recognised to the end of the period, per currency.',
  })
  backlog: Money[];

  @Field(() => [Money], {
    description:
      'WIP: revenue recognised − invoiced (net of credit notes) to the end of the period, per contract (or project), never below 0.',
  })
  unbilled: Money[];

  @Field(() => [Money], { description: 'Revenue recognised in the months of the period, per currency.' })
  revenueRecognized: Money[];

  @Field(() => InvoiceCycleTime)
  invoiceCycleTime: InvoiceCycleTime;

  @Field(() => [InvoiceAccuracy])
  invoiceAccuracy: InvoiceAccuracy[];

  @Field(() => [WriteOffTotal])
  writeOffs: WriteOffTotal[];

  @Field(() => FunctionalCurrencyKpis, {
    nullable: true,
    description: 'Only for one legal entity: the money figures converted to its functional currency.',
  })
  inFunctionalCurrency: FunctionalCurrencyKpis | null;

  @Field(() => [ProjectExtension], {
    description: 'The projects with revenue recognised in the period: select their margin (revenue − PSA costToDate) through the graph.',
  })
  projects: ProjectExtension[];
}
