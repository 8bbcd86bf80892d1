import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { OpportunityEntity } from '../opportunity/opportunity.entity';
import { QuoteEntity } from './quote.entity';
import { QuoteService } from './quote.service';

/** `Opportunity.quotes` and `.acceptedQuote`: the quote context extends the opportunity type (batched). */
@Resolver(() => OpportunityEntity)
export class OpportunityQuotesResolver {
  constructor(private readonly quoteService: QuoteService) {}

  @ResolveField(() => [QuoteEntity], { description: 'Every quote and version, oldest first.' })
  quotes(@Parent() opportunity: OpportunityEntity): Promise<QuoteEntity[]> {
    return this.quoteService.listOfOpportunity(opportunity.id);
  }

  @ResolveField(() => QuoteEntity, { nullable: true, description: 'The ACCEPTED quote (at most one per opportunity).' })
  acceptedQuote(@Parent() opportunity: OpportunityEntity): Promise<QuoteEntity | null> {
    return this.quoteService.acceptedOfOpportunity(opportunity.id);
  }
}
