import { SubgraphEntity } from './subgraph/subgraph.entity';

export const governanceEntities = [SubgraphEntity];
