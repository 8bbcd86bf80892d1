import { Module } from '@nestjs/common';
import { PersonScope } from '../common/person-scope';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectModule } from '../project/project.module';
import { ResourceRequestModule } from '../resource-request/resource-request.module';
import { ResourceModule } from '../resource/resource.module';
import { AssignmentEntity } from './assignment.entity';
import {
  AssignmentResolver,
  ProjectAssignmentsResolver,
  ResourceAssignmentsResolver,
  ResourceRequestAssignmentResolver,
} from './assignment.resolver';
import { AssignmentService } from './assignment.service';

@Module({
  imports: [TypeOrmModule.forFeature([AssignmentEntity]), ProjectModule, ResourceModule, ResourceRequestModule],
  providers: [
    PersonScope,
    AssignmentService,
    AssignmentResolver,
    ProjectAssignmentsResolver,
    ResourceAssignmentsResolver,
    ResourceRequestAssignmentResolver,
  ],
  exports: [AssignmentService],
})
export class AssignmentModule {}
