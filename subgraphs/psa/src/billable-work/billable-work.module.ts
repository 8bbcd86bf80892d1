import { Module } from '@nestjs/common';
import { BillableWorkResolver } from './billable-work.resolver';
import { BillableWorkService } from './billable-work.service';

/** The grouped billable work an ERP invoice run bills (issue 6, time and expenses to cash). */
@Module({ providers: [BillableWorkService, BillableWorkResolver] })
export class BillableWorkModule {}
