import { Module } from '@nestjs/common';
import { OwnershipService } from './ownership.service';
import { PolicyBundleService } from './policy-bundle.service';
import { PolicyController } from './policy.controller';

/** The versioned policy bundle and data stewards' ownership changes; the ledger comes from the global AuditModule. */
@Module({
  controllers: [PolicyController],
  providers: [PolicyBundleService, OwnershipService],
  exports: [PolicyBundleService, OwnershipService],
})
export class PolicyModule {}
