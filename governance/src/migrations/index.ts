import { CreateSubgraph1763900600000 } from './1763900600000-create-subgraph';
import { CreateAuditLedger1763900700000 } from './1763900700000-create-audit-ledger';
import { CreatePolicyStore1763900900000 } from './1763900900000-create-policy-store';
import { IndexAuditEventFilters1763901000000 } from './1763901000000-index-audit-event-filters';
import { CreateSchemaRegistry1763901100000 } from './1763901100000-create-schema-registry';
import { CreateClientUsage1763901200000 } from './1763901200000-create-client-usage';
import { CreateSlaStore1763901300000 } from './1763901300000-create-sla-store';
import { CreateRegisteredOperation1763901400000 } from './1763901400000-create-registered-operation';
import { CreateSupergraphHistory1763901500000 } from './1763901500000-create-supergraph-history';
import { WidenClientUsage1763901600000 } from './1763901600000-widen-client-usage';
import { CreateWorkflowStore1763901700000 } from './1763901700000-create-workflow-store';
import { AllowAuditExportAction1763901800000 } from './1763901800000-allow-audit-export-action';
import { CreateSchemaCheck1763901830000 } from './1763901830000-create-schema-check';
import { OwnershipChangeTeams1763902100000 } from './1763902100000-ownership-change-teams';
import { CreateExceptionCase1763902200000 } from './1763902200000-create-exception-case';

/** Every governance migration in order; never edit one that has been committed, add a new one. */
export const governanceMigrations = [
  CreateSubgraph1763900600000,
  CreateAuditLedger1763900700000,
  CreatePolicyStore1763900900000,
  IndexAuditEventFilters1763901000000,
  CreateSchemaRegistry1763901100000,
  CreateClientUsage1763901200000,
  CreateSlaStore1763901300000,
  CreateRegisteredOperation1763901400000,
  CreateSupergraphHistory1763901500000,
  WidenClientUsage1763901600000,
  CreateWorkflowStore1763901700000,
  AllowAuditExportAction1763901800000,
  CreateSchemaCheck1763901830000,
  OwnershipChangeTeams1763902100000,
  CreateExceptionCase1763902200000,
];
