import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { InvoiceEntity } from '../invoice/invoice.entity';
import { InvoiceService } from '../invoice/invoice.service';
import { BillingExceptionService } from './billing-exception.service';
import { CreditNoteEntity } from './credit-note.entity';
import { CreateCreditNoteInput, CreateWriteOffInput } from './dtos/billing-exception.input';
import { WriteOffEntity } from './write-off.entity';

@Resolver(() => CreditNoteEntity)
export class CreditNoteResolver {
  constructor(
    private readonly billingExceptionService: BillingExceptionService,
    private readonly invoiceService: InvoiceService,
  ) {}

  @Query(() => CreditNoteEntity, { nullable: true })
  creditNote(@Args('id', { type: () => ID }) id: string): Promise<CreditNoteEntity | null> {
    return this.billingExceptionService.findCreditNote(id);
  }

  @Mutation(() => CreditNoteEntity, {
    description:
      'Credits a POSTED invoice (full by default, or a net subtotal), approved by the caller with a reason: amountDue, contract consumption and revenue that followed billing fall; a full credit voids the invoice (CANCELLED). CONFLICT when not POSTED or the credit exceeds amountDue.',
  })
  createCreditNote(@Args('input') input: CreateCreditNoteInput): Promise<CreditNoteEntity> {
    return this.billingExceptionService.createCreditNote(input);
  }

  @ResolveField(() => InvoiceEntity)
  async invoice(@Parent() creditNote: CreditNoteEntity): Promise<InvoiceEntity | null> {
    return this.invoiceService.findById(creditNote.invoiceId);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<CreditNoteEntity | null> {
    return this.billingExceptionService.findCreditNote(reference.id);
  }
}

@Resolver(() => WriteOffEntity)
export class WriteOffResolver {
  constructor(
    private readonly billingExceptionService: BillingExceptionService,
    private readonly invoiceService: InvoiceService,
  ) {}

  @Query(() => WriteOffEntity, { nullable: true })
  writeOff(@Args('id', { type: () => ID }) id: string): Promise<WriteOffEntity | null> {
    return this.billingExceptionService.findWriteOff(id);
  }

  @Mutation(() => WriteOffEntity, {
    description:
      "Writes off (part of) a POSTED invoice's amount due, approved by the caller with a reason; the work stays billed. CONFLICT when not POSTED or nothing is due.",
  })
  createWriteOff(@Args('input') input: CreateWriteOffInput): Promise<WriteOffEntity> {
    return this.billingExceptionService.createWriteOff(input);
  }

  @ResolveField(() => InvoiceEntity)
  async invoice(@Parent() writeOff: WriteOffEntity): Promise<InvoiceEntity | null> {
    return this.invoiceService.findById(writeOff.invoiceId);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<WriteOffEntity | null> {
    return this.billingExceptionService.findWriteOff(reference.id);
  }
}

/** The billing exceptions of an invoice, batched over the invoices of a request. */
@Resolver(() => InvoiceEntity)
export class InvoiceExceptionsResolver {
  constructor(private readonly billingExceptionService: BillingExceptionService) {}

  @ResolveField(() => [CreditNoteEntity], { description: 'Credit notes issued against the invoice, oldest first.' })
  creditNotes(@Parent() invoice: InvoiceEntity): Promise<CreditNoteEntity[]> {
    return this.billingExceptionService.creditNotesOf(invoice.id);
  }

  @ResolveField(() => [WriteOffEntity], { description: 'Amounts written off the invoice, oldest first.' })
  writeOffs(@Parent() invoice: InvoiceEntity): Promise<WriteOffEntity[]> {
    return this.billingExceptionService.writeOffsOf(invoice.id);
  }
}
