import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Money } from '@concord/graphql';
import { ClientExtension } from '../client/client.type';
import { InvoiceListArgs } from './dtos/invoice.input';
import { InvoiceEntity } from './invoice.entity';
import { InvoiceService } from './invoice.service';

/** The invoicing side of the unified Client: its invoices and what it owes, batched per request. */
// Fields this subgraph adds to another subgraph's entity are nullable: if this subgraph is down, the gateway
// nulls just them instead of the whole parent object.
@Resolver(() => ClientExtension)
export class ClientInvoicesResolver {
  constructor(private readonly invoiceService: InvoiceService) {}

  @ResolveField(() => [InvoiceEntity], { nullable: true, description: "The client's invoices, latest issue date first." })
  invoices(@Parent() client: ClientExtension, @Args() args: InvoiceListArgs): Promise<InvoiceEntity[]> {
    return this.invoiceService.invoicesOfClient(client.id, args);
  }

  @ResolveField(() => [Money], {
    nullable: true,
    description: 'Accounts receivable: amountDue of POSTED invoices summed per currency; empty when nothing is owed.',
  })
  arBalance(@Parent() client: ClientExtension): Promise<Money[]> {
    return this.invoiceService.arBalanceOf(client.id);
  }
}
