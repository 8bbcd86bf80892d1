import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '@concord/graphql';
import { LegalEntityMarginResolver } from './legal-entity-margin.resolver';
import { LegalEntityMarginService } from './legal-entity-margin.service';
import { LegalEntityEntity } from './legal-entity.entity';
import { LegalEntityResolver } from './legal-entity.resolver';
import { LegalEntityService } from './legal-entity.service';

@Module({
  imports: [TypeOrmModule.forFeature([LegalEntityEntity]), ClockModule],
  providers: [LegalEntityService, LegalEntityResolver, LegalEntityMarginService, LegalEntityMarginResolver],
  exports: [LegalEntityService],
})
export class LegalEntityModule {}
