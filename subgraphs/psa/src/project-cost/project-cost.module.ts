import { Module } from '@nestjs/common';
import { ProjectCostResolver } from './project-cost.resolver';
import { ProjectCostService } from './project-cost.service';

@Module({
  providers: [ProjectCostService, ProjectCostResolver],
  exports: [ProjectCostService],
})
export class ProjectCostModule {}
