import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MilestoneModule } from '../milestone/milestone.module';
import { ProjectModule } from '../project/project.module';
import { TaskEntity } from './task.entity';
import { MilestoneTasksResolver, ProjectTasksResolver, TaskResolver } from './task.resolver';
import { TaskService } from './task.service';

@Module({
  imports: [TypeOrmModule.forFeature([TaskEntity]), ProjectModule, MilestoneModule],
  providers: [TaskService, TaskResolver, ProjectTasksResolver, MilestoneTasksResolver],
  exports: [TaskService],
})
export class TaskModule {}
