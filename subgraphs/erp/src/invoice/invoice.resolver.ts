import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { ClientExtension, clientReference } from '../client/client.type';
import { ProjectExtension } from '../project/project.type';
import { BilledInvoiceSourcesArgs, CreateInvoiceInput, InvoicesArgs, PaymentStatusArgs, UpdateInvoiceInput } from './dtos/invoice.input';
import { InvoiceLineEntity } from './invoice-line.entity';
import { InvoiceEntity } from './invoice.entity';
import { InvoiceService } from './invoice.service';
import { InvoicePaymentStatus } from './invoice.states';

export const InvoiceConnection = Connection(InvoiceEntity, 'Invoice');

@Resolver(() => InvoiceEntity)
export class InvoiceResolver {
  constructor(private readonly invoiceService: InvoiceService) {}

  @Query(() => InvoiceEntity, { nullable: true })
  invoice(@Args('id', { type: () => ID }) id: string): Promise<InvoiceEntity | null> {
    return this.invoiceService.findById(id);
  }

  @Query(() => InvoiceConnection)
  async invoices(@Args() args: InvoicesArgs): Promise<ConnectionShape<InvoiceEntity>> {
    return toConnection(await this.invoiceService.list(args));
  }

  @Query(() => [ID], {
    description:
      'The ids among sourceIds (PSA time entries or expenses) already billed by a line of a DRAFT or POSTED invoice: what an invoice run leaves out.',
  })
  billedInvoiceSources(@Args() { sourceType, sourceIds }: BilledInvoiceSourcesArgs): Promise<string[]> {
    return this.invoiceService.billedSourceIds(sourceType, sourceIds);
  }

  @Mutation(() => InvoiceEntity, {
    description:
      'Creates a DRAFT invoice, optionally with its lines (CONFLICT when a time entry or expense is already on a live invoice).',
  })
  createInvoice(@Args('input') input: CreateInvoiceInput): Promise<InvoiceEntity> {
    return this.invoiceService.create(input);
  }

  @Mutation(() => InvoiceEntity, { description: 'Changes a DRAFT invoice (CONFLICT once posted or cancelled).' })
  updateInvoice(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateInvoiceInput): Promise<InvoiceEntity> {
    return this.invoiceService.update(id, input);
  }

  @Mutation(() => InvoiceEntity, { description: 'DRAFT → POSTED: allocates the number, fixes totals, due date and FX rate.' })
  postInvoice(@Args('id', { type: () => ID }) id: string): Promise<InvoiceEntity> {
    return this.invoiceService.post(id);
  }

  @Mutation(() => InvoiceEntity, {
    description: 'DRAFT or POSTED → CANCELLED (a posted invoice is voided; refused while posted payments are allocated).',
  })
  cancelInvoice(@Args('id', { type: () => ID }) id: string): Promise<InvoiceEntity> {
    return this.invoiceService.cancel(id);
  }

  @ResolveField(() => [InvoiceLineEntity])
  lines(@Parent() invoice: InvoiceEntity): Promise<InvoiceLineEntity[]> {
    return this.invoiceService.linesOf(invoice);
  }

  @ResolveField(() => InvoicePaymentStatus, {
    nullable: true,
    description: 'Derived payment status of a POSTED invoice; null for DRAFT and CANCELLED.',
  })
  paymentStatus(@Parent() invoice: InvoiceEntity, @Args() { asOf }: PaymentStatusArgs): InvoicePaymentStatus | null {
    return this.invoiceService.paymentStatusOf(invoice, asOf);
  }

  @ResolveField(() => ClientExtension, { description: 'The CRM Client billed.' })
  client(@Parent() invoice: InvoiceEntity): ClientExtension {
    return clientReference(invoice.clientId);
  }

  @ResolveField(() => ProjectExtension, { nullable: true, description: 'The PSA Project billed, if any.' })
  project(@Parent() invoice: InvoiceEntity): ProjectExtension | null {
    return invoice.projectId ? { id: invoice.projectId } : null;
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<InvoiceEntity | null> {
    return this.invoiceService.findById(reference.id);
  }
}
