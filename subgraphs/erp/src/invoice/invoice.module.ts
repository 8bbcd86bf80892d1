import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '@concord/graphql';
import { CurrencyModule } from '../currency/currency.module';
import { ClientInvoicesResolver } from './client-invoices.resolver';
import { InvoiceLineEntity } from './invoice-line.entity';
import { InvoiceLineResolver } from './invoice-line.resolver';
import { InvoiceEntity } from './invoice.entity';
import { InvoiceResolver } from './invoice.resolver';
import { InvoiceService } from './invoice.service';

@Module({
  imports: [TypeOrmModule.forFeature([InvoiceEntity, InvoiceLineEntity]), ClockModule, CurrencyModule],
  providers: [InvoiceService, InvoiceResolver, InvoiceLineResolver, ClientInvoicesResolver],
  exports: [InvoiceService],
})
export class InvoiceModule {}
