import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '@concord/graphql';
import { CurrencyModule } from '../currency/currency.module';
import { InvoiceModule } from '../invoice/invoice.module';
import { PaymentAllocationEntity } from './payment-allocation.entity';
import { InvoiceAllocationsResolver } from './invoice-allocations.resolver';
import { PaymentAllocationResolver } from './payment-allocation.resolver';
import { PaymentEntity } from './payment.entity';
import { PaymentResolver } from './payment.resolver';
import { PaymentService } from './payment.service';

@Module({
  imports: [TypeOrmModule.forFeature([PaymentEntity, PaymentAllocationEntity]), ClockModule, CurrencyModule, InvoiceModule],
  providers: [PaymentService, PaymentResolver, PaymentAllocationResolver, InvoiceAllocationsResolver],
  exports: [PaymentService],
})
export class PaymentModule {}
