import DataLoader from 'dataloader';

export interface ChildrenKey<A> {
  parentId: string;
  /** the field arguments (first, filters); parents asked with the same arguments share one statement */
  args: A;
}

/**
 * A DataLoader for child lists that take arguments (e.g. `Client.opportunities(first, stageIn)`): the keys of one
 * tick are grouped by their arguments and each group is loaded with ONE statement, so a page of parents costs one
 * query per relation, not one per parent.
 */
export function childrenLoader<A, T>(load: (parentIds: string[], args: A) => Promise<T[][]>): DataLoader<ChildrenKey<A>, T[], string> {
  return new DataLoader<ChildrenKey<A>, T[], string>(
    async (keys) => {
      const groups = new Map<string, { args: A; parentIds: string[] }>();
      for (const key of keys) {
        const signature = JSON.stringify(key.args);
        const group = groups.get(signature) ?? { args: key.args, parentIds: [] };
        if (!group.parentIds.includes(key.parentId)) {
          group.parentIds.push(key.parentId);
        }
        groups.set(signature, group);
      }
      const results = new Map<string, T[]>();
      for (const [signature, group] of groups) {
        const lists = await load(group.parentIds, group.args);
        group.parentIds.forEach((parentId, index) => results.set(`${signature}|${parentId}`, lists[index]));
      }
      return keys.map((key) => results.get(`${JSON.stringify(key.args)}|${key.parentId}`) ?? []);
    },
    { cache: false, cacheKeyFn: (key) => `${JSON.stringify(key.args)}|${key.parentId}` },
  );
}
