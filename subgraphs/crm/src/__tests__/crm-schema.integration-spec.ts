import { join } from 'node:path';
import { describeSubgraphSchema } from '@concord/testing';
import { CrmModule } from '../app.module';

describeSubgraphSchema(
  'CRM subgraph schema',
  (databaseUrl) => CrmModule.forRoot({ databaseUrl }),
  'crm',
  join(__dirname, '../../schema.graphql'),
);
