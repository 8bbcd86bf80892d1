import { Module } from '@nestjs/common';
import { ClockModule } from '@concord/graphql';
import { InvoiceModule } from '../invoice/invoice.module';
import { RevenueEntryModule } from '../revenue-entry/revenue-entry.module';
import { ProjectResolver } from './project.resolver';
import { ProjectService } from './project.service';

@Module({
  imports: [ClockModule, InvoiceModule, RevenueEntryModule],
  providers: [ProjectService, ProjectResolver],
})
export class ProjectModule {}
