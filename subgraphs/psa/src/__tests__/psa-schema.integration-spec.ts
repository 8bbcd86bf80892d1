import { join } from 'node:path';
import { describeSubgraphSchema } from '@concord/testing';
import { PsaModule } from '../app.module';

describeSubgraphSchema(
  'PSA subgraph schema',
  (databaseUrl) => PsaModule.forRoot({ databaseUrl }),
  'psa',
  join(__dirname, '../../schema.graphql'),
);
