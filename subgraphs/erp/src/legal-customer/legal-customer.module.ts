import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LegalCustomerEntity } from './legal-customer.entity';
import { LegalCustomerResolver } from './legal-customer.resolver';
import { LegalCustomerService } from './legal-customer.service';

@Module({
  imports: [TypeOrmModule.forFeature([LegalCustomerEntity])],
  providers: [LegalCustomerService, LegalCustomerResolver],
  exports: [LegalCustomerService],
})
export class LegalCustomerModule {}
