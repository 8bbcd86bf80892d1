import { readFile, writeFile } from 'node:fs/promises';
import { postGraphQL } from './graphql-client';

/**
 * Compares a running subgraph's SDL with its committed schema.graphql. With UPDATE_SCHEMAS=1 it rewrites the
 * file instead (the way to accept an intended schema change), so the committed file always matches the code.
 */
export async function compareCommittedSchema(graphqlUrl: string, file: string): Promise<{ committed: string; actual: string }> {
  const result = await postGraphQL<{ _service: { sdl: string } }>(graphqlUrl, '{ _service { sdl } }');
  const actual = `${result.data?._service.sdl.trim()}\n`;
  if (process.env.UPDATE_SCHEMAS === '1') {
    await writeFile(file, actual);
    return { committed: actual, actual };
  }
  const committed = await readFile(file, 'utf8').catch(() => '');
  return { committed, actual };
}
