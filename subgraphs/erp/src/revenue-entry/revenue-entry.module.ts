import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RevenueEntryEntity } from './revenue-entry.entity';
import { RevenueEntryResolver } from './revenue-entry.resolver';
import { RevenueEntryService } from './revenue-entry.service';

@Module({
  imports: [TypeOrmModule.forFeature([RevenueEntryEntity])],
  providers: [RevenueEntryService, RevenueEntryResolver],
  exports: [RevenueEntryService],
})
export class RevenueEntryModule {}
