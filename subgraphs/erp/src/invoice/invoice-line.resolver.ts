import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { CreateInvoiceLineInput, InvoiceLinesArgs, UpdateInvoiceLineInput } from './dtos/invoice.input';
import { InvoiceLineEntity } from './invoice-line.entity';
import { InvoiceEntity } from './invoice.entity';
import { InvoiceService } from './invoice.service';

export const InvoiceLineConnection = Connection(InvoiceLineEntity, 'InvoiceLine');

@Resolver(() => InvoiceLineEntity)
export class InvoiceLineResolver {
  constructor(private readonly invoiceService: InvoiceService) {}

  @Query(() => InvoiceLineEntity, { nullable: true })
  invoiceLine(@Args('id', { type: () => ID }) id: string): Promise<InvoiceLineEntity | null> {
    return this.invoiceService.findLineById(id);
  }

  @Query(() => InvoiceLineConnection)
  async invoiceLines(@Args() args: InvoiceLinesArgs): Promise<ConnectionShape<InvoiceLineEntity>> {
    return toConnection(await this.invoiceService.listLines(args));
  }

  @Mutation(() => InvoiceLineEntity, { description: 'Adds a line to a DRAFT invoice and recomputes its totals.' })
  createInvoiceLine(@Args('input') input: CreateInvoiceLineInput): Promise<InvoiceLineEntity> {
    return this.invoiceService.addLine(input);
  }

  @Mutation(() => InvoiceLineEntity, { description: 'Changes a line of a DRAFT invoice and recomputes its totals.' })
  updateInvoiceLine(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateInvoiceLineInput): Promise<InvoiceLineEntity> {
    return this.invoiceService.updateLine(id, input);
  }

  @Mutation(() => InvoiceEntity, { description: 'Removes a line of a DRAFT invoice; returns the invoice with its new totals.' })
  deleteInvoiceLine(@Args('id', { type: () => ID }) id: string): Promise<InvoiceEntity> {
    return this.invoiceService.removeLine(id);
  }
}
