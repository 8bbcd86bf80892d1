import { Module } from '@nestjs/common';
import { BillableWorkResolver } from './billable-work.resolver';
import { BillableWorkService } from './billable-work.service';
import { RevenueDeliveryService } from './revenue-delivery.service';

/** The grouped billable work an ERP invoice run bills, and the delivered work revenue recognition reads (issue 6). */
@Module({ providers: [BillableWorkService, RevenueDeliveryService, BillableWorkResolver] })
export class BillableWorkModule {}
