import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IntercompanyChargeEntity } from './intercompany-charge.entity';
import { IntercompanyResolver } from './intercompany.resolver';
import { IntercompanyService } from './intercompany.service';

/** Charges between legal entities for work on each other's projects (issue 6, intercompany). */
@Module({
  imports: [TypeOrmModule.forFeature([IntercompanyChargeEntity])],
  providers: [IntercompanyService, IntercompanyResolver],
})
export class IntercompanyModule {}
