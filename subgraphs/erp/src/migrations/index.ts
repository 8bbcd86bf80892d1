import { CreateErpCore1763900200000 } from './1763900200000-create-erp-core';
import { CreateErpBilling1763900300000 } from './1763900300000-create-erp-billing';
import { CreateOutbox1763900810000 } from './1763900810000-create-outbox';
import { CreateBillingExceptions1763902100000 } from './1763902100000-create-billing-exceptions';
import { AddInvoiceRunIndexes1763902400000 } from './1763902400000-add-invoice-run-indexes';
import { CreateRevenueForecastSnapshot1763902500000 } from './1763902500000-create-revenue-forecast-snapshot';
import { CreateIntercompanyCharge1763902600000 } from './1763902600000-create-intercompany-charge';
import { AddRevenueRecognitionFx1763902700000 } from './1763902700000-add-revenue-recognition-fx';

/** Every ERP migration in order; never edit one that has been committed, add a new one. */
export const erpMigrations: Function[] = [
  CreateErpCore1763900200000,
  CreateErpBilling1763900300000,
  CreateOutbox1763900810000,
  CreateBillingExceptions1763902100000,
  AddInvoiceRunIndexes1763902400000,
  CreateRevenueForecastSnapshot1763902500000,
  CreateIntercompanyCharge1763902600000,
  AddRevenueRecognitionFx1763902700000,
];
