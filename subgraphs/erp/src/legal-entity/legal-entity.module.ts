import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LegalEntityEntity } from './legal-entity.entity';
import { LegalEntityResolver } from './legal-entity.resolver';
import { LegalEntityService } from './legal-entity.service';

@Module({
  imports: [TypeOrmModule.forFeature([LegalEntityEntity])],
  providers: [LegalEntityService, LegalEntityResolver],
  exports: [LegalEntityService],
})
export class LegalEntityModule {}
