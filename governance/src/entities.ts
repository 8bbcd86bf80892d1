import { AuditCheckpointEntity } from './audit/audit-checkpoint.entity';
import { AuditEventEntity } from './audit/audit-event.entity';
import { OwnershipChangeEntity } from './policy/ownership-change.entity';
import { PolicyBundleEntity } from './policy/policy-bundle.entity';
import { SchemaApprovalEntity } from './registry/schema-approval.entity';
import { SchemaCheckEntity } from './registry/schema-check.entity';
import { RegisteredOperationEntity } from './registry/registered-operation.entity';
import { SchemaVersionEntity } from './registry/schema-version.entity';
import { SupergraphVersionEntity } from './registry/supergraph-version.entity';
import { IncidentEntity, IncidentEventEntity } from './sla/incident.entity';
import { SlaNotificationEntity } from './sla/sla-notification.entity';
import { ServiceLevelObjectiveEntity } from './sla/slo.entity';
import { SubgraphEntity } from './subgraph/subgraph.entity';

export const governanceEntities = [
  SubgraphEntity,
  AuditEventEntity,
  AuditCheckpointEntity,
  PolicyBundleEntity,
  OwnershipChangeEntity,
  SchemaVersionEntity,
  SupergraphVersionEntity,
  SchemaApprovalEntity,
  SchemaCheckEntity,
  RegisteredOperationEntity,
  ServiceLevelObjectiveEntity,
  IncidentEntity,
  IncidentEventEntity,
  SlaNotificationEntity,
];
