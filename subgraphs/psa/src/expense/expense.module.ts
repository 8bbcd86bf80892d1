import { Module } from '@nestjs/common';
import { PersonScope } from '../common/person-scope';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectModule } from '../project/project.module';
import { ResourceModule } from '../resource/resource.module';
import { ExpenseEntity } from './expense.entity';
import { ExpenseResolver, ProjectExpensesResolver } from './expense.resolver';
import { ExpenseService } from './expense.service';

@Module({
  imports: [TypeOrmModule.forFeature([ExpenseEntity]), ProjectModule, ResourceModule],
  providers: [PersonScope, ExpenseService, ExpenseResolver, ProjectExpensesResolver],
  exports: [ExpenseService],
})
export class ExpenseModule {}
