import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RateCardLineEntity } from './rate-card-line.entity';
import { RateCardLineResolver, RateCardResolver } from './rate-card.resolver';
import { RateCardEntity } from './rate-card.entity';
import { RateCardService } from './rate-card.service';

@Module({
  imports: [TypeOrmModule.forFeature([RateCardEntity, RateCardLineEntity])],
  providers: [RateCardService, RateCardResolver, RateCardLineResolver],
  exports: [RateCardService],
})
export class RateCardModule {}
