import { CreateSubgraph1763900600000 } from './1763900600000-create-subgraph';

/** Every governance migration in order; never edit one that has been committed, add a new one. */
export const governanceMigrations = [CreateSubgraph1763900600000];
