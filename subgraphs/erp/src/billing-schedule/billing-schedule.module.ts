import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '@concord/graphql';
import { ContractModule } from '../contract/contract.module';
import { BillingScheduleLineEntity } from './billing-schedule-line.entity';
import { BillingScheduleEntity } from './billing-schedule.entity';
import { BillingScheduleLineResolver, BillingScheduleResolver, ContractLineBillingSchedulesResolver } from './billing-schedule.resolver';
import { BillingScheduleService } from './billing-schedule.service';

@Module({
  imports: [TypeOrmModule.forFeature([BillingScheduleEntity, BillingScheduleLineEntity]), ClockModule, ContractModule],
  providers: [BillingScheduleService, BillingScheduleResolver, BillingScheduleLineResolver, ContractLineBillingSchedulesResolver],
  exports: [BillingScheduleService],
})
export class BillingScheduleModule {}
