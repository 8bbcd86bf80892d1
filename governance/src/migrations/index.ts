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
import { CreateSchemaCheck1763901830000 } from './1763901830000-create-schema-check';

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
  CreateSchemaCheck1763901830000,
];
