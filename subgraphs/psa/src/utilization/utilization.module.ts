import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ResourceModule } from '../resource/resource.module';
import { UtilizationPeriodEntity } from './utilization-period.entity';
import { ResourceUtilizationResolver, UtilizationResolver } from './utilization.resolver';
import { UtilizationService } from './utilization.service';

@Module({
  imports: [TypeOrmModule.forFeature([UtilizationPeriodEntity]), ResourceModule],
  providers: [UtilizationService, UtilizationResolver, ResourceUtilizationResolver],
  exports: [UtilizationService],
})
export class UtilizationModule {}
