import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '@concord/graphql';
import { OpportunityModule } from '../opportunity/opportunity.module';
import { OpportunityQuotesResolver } from './opportunity-quotes.resolver';
import { QuoteLineEntity } from './quote-line.entity';
import { QuoteLineResolver } from './quote-line.resolver';
import { QuoteLineService } from './quote-line.service';
import { QuoteEntity } from './quote.entity';
import { QuoteResolver } from './quote.resolver';
import { QuoteService } from './quote.service';

@Module({
  imports: [TypeOrmModule.forFeature([QuoteEntity, QuoteLineEntity]), ClockModule, OpportunityModule],
  providers: [QuoteService, QuoteLineService, QuoteResolver, QuoteLineResolver, OpportunityQuotesResolver],
  exports: [QuoteService],
})
export class QuoteModule {}
