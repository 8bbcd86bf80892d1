import { Module } from '@nestjs/common';
import { PersonScope } from '../common/person-scope';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssignmentModule } from '../assignment/assignment.module';
import { ProjectModule } from '../project/project.module';
import { ResourceModule } from '../resource/resource.module';
import { TaskModule } from '../task/task.module';
import { TimeEntryEntity } from './time-entry.entity';
import { ProjectTimeEntriesResolver, ResourceTimeEntriesResolver, TimeEntryResolver } from './time-entry.resolver';
import { TimeEntryService } from './time-entry.service';

@Module({
  imports: [TypeOrmModule.forFeature([TimeEntryEntity]), ProjectModule, TaskModule, ResourceModule, AssignmentModule],
  providers: [PersonScope, TimeEntryService, TimeEntryResolver, ProjectTimeEntriesResolver, ResourceTimeEntriesResolver],
  exports: [TimeEntryService],
})
export class TimeEntryModule {}
