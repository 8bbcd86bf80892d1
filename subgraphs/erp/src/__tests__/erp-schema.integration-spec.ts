import { join } from 'node:path';
import { describeSubgraphSchema } from '@concord/testing';
import { ErpModule } from '../app.module';

describeSubgraphSchema(
  'ERP subgraph schema',
  (databaseUrl) => ErpModule.forRoot({ databaseUrl }),
  'erp',
  join(__dirname, '../../schema.graphql'),
);
