import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CurrencyModule } from '../currency/currency.module';
import { RevenueEntryEntity } from './revenue-entry.entity';
import { RevenueEntryResolver } from './revenue-entry.resolver';
import { RevenueEntryService } from './revenue-entry.service';
import { RevenueRecognitionService } from './revenue-recognition.service';

@Module({
  imports: [TypeOrmModule.forFeature([RevenueEntryEntity]), CurrencyModule],
  providers: [RevenueEntryService, RevenueRecognitionService, RevenueEntryResolver],
  exports: [RevenueEntryService],
})
export class RevenueEntryModule {}
