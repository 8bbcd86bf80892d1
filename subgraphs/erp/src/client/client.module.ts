import { Module } from '@nestjs/common';
import { ContractModule } from '../contract/contract.module';
import { LegalCustomerModule } from '../legal-customer/legal-customer.module';
import { ClientExtensionResolver } from './client.resolver';

/** The ERP's extension of the CRM Client (legalCustomer, contracts). */
@Module({
  imports: [LegalCustomerModule, ContractModule],
  providers: [ClientExtensionResolver],
})
export class ClientModule {}
