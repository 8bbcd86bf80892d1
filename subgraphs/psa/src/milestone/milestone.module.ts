import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectModule } from '../project/project.module';
import { MilestoneEntity } from './milestone.entity';
import { MilestoneResolver, ProjectMilestonesResolver } from './milestone.resolver';
import { MilestoneService } from './milestone.service';

@Module({
  imports: [TypeOrmModule.forFeature([MilestoneEntity]), ProjectModule],
  providers: [MilestoneService, MilestoneResolver, ProjectMilestonesResolver],
  exports: [MilestoneService],
})
export class MilestoneModule {}
