import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectModule } from '../project/project.module';
import { ChangeOrderEntity } from './change-order.entity';
import { ChangeOrderResolver, ProjectChangeOrdersResolver } from './change-order.resolver';
import { ChangeOrderService } from './change-order.service';

@Module({
  imports: [TypeOrmModule.forFeature([ChangeOrderEntity]), ProjectModule],
  providers: [ChangeOrderService, ChangeOrderResolver, ProjectChangeOrdersResolver],
  exports: [ChangeOrderService],
})
export class ChangeOrderModule {}
