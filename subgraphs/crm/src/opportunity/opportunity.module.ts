import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientModule } from '../client/client.module';
import { ContactModule } from '../contact/contact.module';
import { ClientOpportunitiesResolver } from './client-opportunities.resolver';
import { OpportunityEntity } from './opportunity.entity';
import { OpportunityResolver } from './opportunity.resolver';
import { OpportunityService } from './opportunity.service';

@Module({
  imports: [TypeOrmModule.forFeature([OpportunityEntity]), ClientModule, ContactModule],
  providers: [OpportunityService, OpportunityResolver, ClientOpportunitiesResolver],
  exports: [OpportunityService],
})
export class OpportunityModule {}
