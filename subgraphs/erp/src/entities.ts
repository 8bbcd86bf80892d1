import { BillingScheduleLineEntity } from './billing-schedule/billing-schedule-line.entity';
import { CreditNoteEntity } from './billing-exception/credit-note.entity';
import { WriteOffEntity } from './billing-exception/write-off.entity';
import { IntercompanyChargeEntity } from './intercompany/intercompany-charge.entity';
import { BillingScheduleEntity } from './billing-schedule/billing-schedule.entity';
import { ContractAmendmentEntity } from './contract/contract-amendment.entity';
import { ContractLineEntity } from './contract/contract-line.entity';
import { ContractEntity } from './contract/contract.entity';
import { CurrencyEntity } from './currency/currency.entity';
import { FxRateEntity } from './currency/fx-rate.entity';
import { InvoiceLineEntity } from './invoice/invoice-line.entity';
import { InvoiceNumberSequenceEntity } from './invoice/invoice-number-sequence.entity';
import { InvoiceEntity } from './invoice/invoice.entity';
import { LegalCustomerEntity } from './legal-customer/legal-customer.entity';
import { LegalEntityEntity } from './legal-entity/legal-entity.entity';
import { PaymentAllocationEntity } from './payment/payment-allocation.entity';
import { PaymentEntity } from './payment/payment.entity';
import { RateCardLineEntity } from './rate-card/rate-card-line.entity';
import { RateCardEntity } from './rate-card/rate-card.entity';
import { RevenueEntryEntity } from './revenue-entry/revenue-entry.entity';
import { RevenueForecastSnapshotEntity } from './forecast/revenue-forecast-snapshot.entity';

export const erpEntities: Function[] = [
  LegalEntityEntity,
  CurrencyEntity,
  FxRateEntity,
  LegalCustomerEntity,
  RateCardEntity,
  RateCardLineEntity,
  ContractEntity,
  ContractLineEntity,
  BillingScheduleEntity,
  BillingScheduleLineEntity,
  InvoiceEntity,
  InvoiceLineEntity,
  InvoiceNumberSequenceEntity,
  PaymentEntity,
  PaymentAllocationEntity,
  RevenueEntryEntity,
  CreditNoteEntity,
  WriteOffEntity,
  IntercompanyChargeEntity,
  ContractAmendmentEntity,
  RevenueForecastSnapshotEntity,
];
