import { Module } from '@nestjs/common';
import { ContractModule } from '../contract/contract.module';
import { LegalCustomerModule } from '../legal-customer/legal-customer.module';
import { ClockModule } from '@concord/graphql';
import { ClientHealthInputsResolver } from './client-health-inputs.resolver';
import { ClientHealthInputsService } from './client-health-inputs.service';
import { ClientExtensionResolver } from './client.resolver';

/** The ERP's extension of the CRM Client (legalCustomer, contracts, the health inputs oldestOverdueDays and marginPct). */
@Module({
  imports: [LegalCustomerModule, ContractModule, ClockModule],
  providers: [ClientExtensionResolver, ClientHealthInputsService, ClientHealthInputsResolver],
})
export class ClientModule {}
