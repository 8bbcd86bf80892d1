import { StateMachine } from '@concord/common';
import { ContractStatus } from './contract.entity';

/**
 * Contract lifecycle (DOMAIN.md leaves it to the ERP; this is ours):
 *
 *   DRAFT ──► ACTIVE ⇄ SUSPENDED
 *     │         │  └───────┴──► TERMINATED   (ended early, from ACTIVE or SUSPENDED)
 *     │         └─► COMPLETED               (delivered and billed in full)
 *     └─► CANCELLED                         (never signed)
 *
 * Rules enforced by ContractService: activation needs at least one line and startDate ≤ endDate.
 * COMPLETED, TERMINATED and CANCELLED are final.
 */
export const contractStates = new StateMachine<ContractStatus>('Contract', {
  [ContractStatus.DRAFT]: [ContractStatus.ACTIVE, ContractStatus.CANCELLED],
  [ContractStatus.ACTIVE]: [ContractStatus.SUSPENDED, ContractStatus.COMPLETED, ContractStatus.TERMINATED],
  [ContractStatus.SUSPENDED]: [ContractStatus.ACTIVE, ContractStatus.TERMINATED],
  [ContractStatus.COMPLETED]: [],
  [ContractStatus.TERMINATED]: [],
  [ContractStatus.CANCELLED]: [],
});

/** Statuses in which lines may still be added or changed (after DRAFT, each change bumps the version). */
export const EDITABLE_CONTRACT_STATUSES: readonly ContractStatus[] = [ContractStatus.DRAFT, ContractStatus.ACTIVE, ContractStatus.SUSPENDED];
