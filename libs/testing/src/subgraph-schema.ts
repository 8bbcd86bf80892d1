import type { DynamicModule } from '@nestjs/common';
import { compareCommittedSchema } from './schema-file';
import { pendingSchemaChanges } from './service';
import { useTestService } from './use-test-service';

/**
 * The schema checks every subgraph runs (STYLE.md §11, §14): its SDL equals the committed schema.graphql, and its
 * migrations produce exactly its entities.
 */
export function describeSubgraphSchema(
  title: string,
  module: (databaseUrl: string) => DynamicModule,
  schema: string,
  schemaFile: string,
): void {
  describe(title, () => {
    const sut = useTestService(module, schema);

    it('matches the committed schema.graphql (UPDATE_SCHEMAS=1 rewrites it)', async () => {
      const { committed, actual } = await compareCommittedSchema(sut.graphqlUrl, schemaFile);
      expect(actual).toEqual(committed);
    });

    it('has migrations that produce exactly the entities', async () => {
      expect(await pendingSchemaChanges(sut.dataSource)).toEqual([]);
    });
  });
}
