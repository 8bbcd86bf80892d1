import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Connection, toConnection, type ConnectionShape } from '@concord/graphql';
import { OpportunityEntity } from '../opportunity/opportunity.entity';
import { OpportunityService } from '../opportunity/opportunity.service';
import { CreateQuoteInput, QuotesArgs, UpdateQuoteInput } from './dtos/quote.input';
import { QuoteLineEntity } from './quote-line.entity';
import { QuoteLineService } from './quote-line.service';
import { QuoteEntity } from './quote.entity';
import { QuoteService } from './quote.service';
import { QuoteStatus } from './quote.states';

export const QuoteConnection = Connection(QuoteEntity, 'Quote');

const ID_ARG = { type: () => ID };

@Resolver(() => QuoteEntity)
export class QuoteResolver {
  constructor(
    private readonly quoteService: QuoteService,
    private readonly quoteLineService: QuoteLineService,
    private readonly opportunityService: OpportunityService,
  ) {}

  @Query(() => QuoteEntity, { nullable: true })
  quote(@Args('id', ID_ARG) id: string): Promise<QuoteEntity | null> {
    return this.quoteService.findById(id);
  }

  @Query(() => QuoteConnection)
  async quotes(@Args() args: QuotesArgs): Promise<ConnectionShape<QuoteEntity>> {
    return toConnection(await this.quoteService.list(args));
  }

  @Mutation(() => QuoteEntity, { description: 'A new DRAFT quote (version 1) for an open opportunity.' })
  createQuote(@Args('input') input: CreateQuoteInput): Promise<QuoteEntity> {
    return this.quoteService.create(input);
  }

  @Mutation(() => QuoteEntity, { description: 'DRAFT quotes only.' })
  updateQuote(@Args('id', ID_ARG) id: string, @Args('input') input: UpdateQuoteInput): Promise<QuoteEntity> {
    return this.quoteService.update(id, input);
  }

  @Mutation(() => QuoteEntity, { description: 'DRAFT → SENT.' })
  sendQuote(@Args('id', ID_ARG) id: string): Promise<QuoteEntity> {
    return this.quoteService.transition(id, QuoteStatus.SENT);
  }

  @Mutation(() => QuoteEntity, {
    description: 'SENT → ACCEPTED: needs a line, an unexpired validUntil and no other accepted quote on the opportunity.',
  })
  acceptQuote(@Args('id', ID_ARG) id: string): Promise<QuoteEntity> {
    return this.quoteService.transition(id, QuoteStatus.ACCEPTED);
  }

  @Mutation(() => QuoteEntity, { description: 'SENT → REJECTED.' })
  rejectQuote(@Args('id', ID_ARG) id: string): Promise<QuoteEntity> {
    return this.quoteService.transition(id, QuoteStatus.REJECTED);
  }

  @Mutation(() => QuoteEntity, { description: 'SENT → EXPIRED.' })
  expireQuote(@Args('id', ID_ARG) id: string): Promise<QuoteEntity> {
    return this.quoteService.transition(id, QuoteStatus.EXPIRED);
  }

  @Mutation(() => QuoteEntity, { description: 'DRAFT or SENT → CANCELLED.' })
  cancelQuote(@Args('id', ID_ARG) id: string): Promise<QuoteEntity> {
    return this.quoteService.transition(id, QuoteStatus.CANCELLED);
  }

  @Mutation(() => QuoteEntity, {
    description:
      'Copies a SENT, REJECTED or EXPIRED quote with its lines as the next version (a DRAFT); a SENT original becomes CANCELLED.',
  })
  reviseQuote(@Args('id', ID_ARG) id: string): Promise<QuoteEntity> {
    return this.quoteService.revise(id);
  }

  @ResolveField(() => OpportunityEntity)
  opportunity(@Parent() quote: QuoteEntity): Promise<OpportunityEntity> {
    return this.opportunityService.getById(quote.opportunityId);
  }

  @ResolveField(() => [QuoteLineEntity], { description: 'The lines in order.' })
  lines(@Parent() quote: QuoteEntity): Promise<QuoteLineEntity[]> {
    return this.quoteLineService.listOfQuote(quote.id);
  }

  @ResolveReference()
  resolveReference(reference: { id: string }): Promise<QuoteEntity | null> {
    return this.quoteService.findById(reference.id);
  }
}
