import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { InvoiceEntity } from '../invoice/invoice.entity';
import { PaymentAllocationEntity } from './payment-allocation.entity';
import { PaymentService } from './payment.service';

/** Invoice.allocations: the payments applied (or prepared) against an invoice, batched per request. */
@Resolver(() => InvoiceEntity)
export class InvoiceAllocationsResolver {
  constructor(private readonly paymentService: PaymentService) {}

  @ResolveField(() => [PaymentAllocationEntity], {
    description: 'Allocations of payments to this invoice (of DRAFT, POSTED and CANCELLED payments).',
  })
  allocations(@Parent() invoice: InvoiceEntity): Promise<PaymentAllocationEntity[]> {
    return this.paymentService.allocationsOfInvoice(invoice);
  }
}
