import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LegalCustomerModule } from '../legal-customer/legal-customer.module';
import { LegalEntityModule } from '../legal-entity/legal-entity.module';
import { RateCardModule } from '../rate-card/rate-card.module';
import { ContractLineEntity } from './contract-line.entity';
import { ContractLineResolver } from './contract-line.resolver';
import { ContractEntity } from './contract.entity';
import { ContractResolver } from './contract.resolver';
import { ContractService } from './contract.service';

@Module({
  imports: [TypeOrmModule.forFeature([ContractEntity, ContractLineEntity]), LegalCustomerModule, LegalEntityModule, RateCardModule],
  providers: [ContractService, ContractResolver, ContractLineResolver],
  exports: [ContractService],
})
export class ContractModule {}
