import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { CreatePaymentInput, PaymentsArgs, UpdatePaymentInput } from './dtos/payment.input';
import { PaymentAllocationEntity } from './payment-allocation.entity';
import { PaymentEntity } from './payment.entity';
import { PaymentService } from './payment.service';

export const PaymentConnection = Connection(PaymentEntity, 'Payment');

@Resolver(() => PaymentEntity)
export class PaymentResolver {
  constructor(private readonly paymentService: PaymentService) {}

  @Query(() => PaymentEntity, { nullable: true })
  payment(@Args('id', { type: () => ID }) id: string): Promise<PaymentEntity | null> {
    return this.paymentService.findById(id);
  }

  @Query(() => PaymentConnection)
  async payments(@Args() args: PaymentsArgs): Promise<ConnectionShape<PaymentEntity>> {
    return toConnection(await this.paymentService.list(args));
  }

  @Mutation(() => PaymentEntity, { description: 'Records a DRAFT payment, optionally with its allocations.' })
  createPayment(@Args('input') input: CreatePaymentInput): Promise<PaymentEntity> {
    return this.paymentService.create(input);
  }

  @Mutation(() => PaymentEntity, { description: 'Changes a DRAFT payment (CONFLICT once posted or cancelled).' })
  updatePayment(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdatePaymentInput): Promise<PaymentEntity> {
    return this.paymentService.update(id, input);
  }

  @Mutation(() => PaymentEntity, { description: 'DRAFT → POSTED: applies the allocations to the invoices; the rest stays unallocated.' })
  postPayment(@Args('id', { type: () => ID }) id: string): Promise<PaymentEntity> {
    return this.paymentService.post(id);
  }

  @Mutation(() => PaymentEntity, { description: 'DRAFT or POSTED → CANCELLED; a posted payment gives the invoices their amount due back.' })
  cancelPayment(@Args('id', { type: () => ID }) id: string): Promise<PaymentEntity> {
    return this.paymentService.cancel(id);
  }

  @ResolveField(() => [PaymentAllocationEntity])
  allocations(@Parent() payment: PaymentEntity): Promise<PaymentAllocationEntity[]> {
    return this.paymentService.allocationsOf(payment);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<PaymentEntity | null> {
    return this.paymentService.findById(reference.id);
  }
}
