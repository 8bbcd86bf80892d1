import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectModule } from '../project/project.module';
import { ResourceRequestEntity } from './resource-request.entity';
import { ProjectResourceRequestsResolver, ResourceRequestResolver } from './resource-request.resolver';
import { ResourceRequestService } from './resource-request.service';

@Module({
  imports: [TypeOrmModule.forFeature([ResourceRequestEntity]), ProjectModule],
  providers: [ResourceRequestService, ResourceRequestResolver, ProjectResourceRequestsResolver],
  exports: [ResourceRequestService],
})
export class ResourceRequestModule {}
