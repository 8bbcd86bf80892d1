import { AuditCheckpointEntity } from './audit/audit-checkpoint.entity';
import { AuditEventEntity } from './audit/audit-event.entity';
import { SubgraphEntity } from './subgraph/subgraph.entity';

export const governanceEntities = [SubgraphEntity, AuditEventEntity, AuditCheckpointEntity];
