import { Module } from '@nestjs/common';
import { LegalEntityCostService } from './legal-entity-cost.service';
import { LegalEntityExtensionResolver } from './legal-entity.resolver';

/** PSA's extension of the ERP LegalEntity: the delivered cost of its projects. */
@Module({
  providers: [LegalEntityCostService, LegalEntityExtensionResolver],
})
export class LegalEntityExtensionModule {}
