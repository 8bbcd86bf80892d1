import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { InvoiceEntity } from '../invoice/invoice.entity';
import { InvoiceService } from '../invoice/invoice.service';
import { CreatePaymentAllocationInput, PaymentAllocationsArgs, UpdatePaymentAllocationInput } from './dtos/payment.input';
import { PaymentAllocationEntity } from './payment-allocation.entity';
import { PaymentEntity } from './payment.entity';
import { PaymentService } from './payment.service';

export const PaymentAllocationConnection = Connection(PaymentAllocationEntity, 'PaymentAllocation');

@Resolver(() => PaymentAllocationEntity)
export class PaymentAllocationResolver {
  constructor(
    private readonly paymentService: PaymentService,
    private readonly invoiceService: InvoiceService,
  ) {}

  @Query(() => PaymentAllocationEntity, { nullable: true })
  paymentAllocation(@Args('id', { type: () => ID }) id: string): Promise<PaymentAllocationEntity | null> {
    return this.paymentService.findAllocationById(id);
  }

  @Query(() => PaymentAllocationConnection)
  async paymentAllocations(@Args() args: PaymentAllocationsArgs): Promise<ConnectionShape<PaymentAllocationEntity>> {
    return toConnection(await this.paymentService.listAllocations(args));
  }

  @Mutation(() => PaymentAllocationEntity, { description: 'Allocates part of a DRAFT payment to a POSTED invoice.' })
  createPaymentAllocation(@Args('input') input: CreatePaymentAllocationInput): Promise<PaymentAllocationEntity> {
    return this.paymentService.addAllocation(input);
  }

  @Mutation(() => PaymentAllocationEntity, { description: 'Changes the amount of an allocation of a DRAFT payment.' })
  updatePaymentAllocation(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdatePaymentAllocationInput,
  ): Promise<PaymentAllocationEntity> {
    return this.paymentService.updateAllocation(id, input);
  }

  @Mutation(() => PaymentEntity, { description: 'Removes an allocation of a DRAFT payment; returns the payment.' })
  deletePaymentAllocation(@Args('id', { type: () => ID }) id: string): Promise<PaymentEntity> {
    return this.paymentService.removeAllocation(id);
  }

  @ResolveField(() => PaymentEntity)
  async payment(@Parent() allocation: PaymentAllocationEntity): Promise<PaymentEntity | null> {
    return this.paymentService.findById(allocation.paymentId);
  }

  @ResolveField(() => InvoiceEntity)
  async invoice(@Parent() allocation: PaymentAllocationEntity): Promise<InvoiceEntity | null> {
    return this.invoiceService.findById(allocation.invoiceId);
  }
}
