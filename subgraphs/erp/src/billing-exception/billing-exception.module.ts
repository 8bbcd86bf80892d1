import { Module } from '@nestjs/common';
import { ClockModule } from '@concord/graphql';
import { InvoiceModule } from '../invoice/invoice.module';
import { CreditNoteResolver, InvoiceExceptionsResolver, WriteOffResolver } from './billing-exception.resolver';
import { BillingExceptionService } from './billing-exception.service';

/** Credit notes and write-offs of posted invoices (DOMAIN.md §2 Invoice). */
@Module({
  imports: [ClockModule, InvoiceModule],
  providers: [BillingExceptionService, CreditNoteResolver, WriteOffResolver, InvoiceExceptionsResolver],
})
export class BillingExceptionModule {}
