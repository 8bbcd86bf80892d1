import DataLoader from 'dataloader';

/** A DataLoader key for a child list whose field arguments (page size, filters) vary by selection. */
export interface ChildListKey<A> {
  parentId: string;
  /** the field arguments; parents asked with the same arguments share one statement */
  args: A;
}

/**
 * A DataLoader for nested list fields that take arguments (`Client.opportunities(first, stageIn)`): the keys of
 * one tick are grouped by their arguments and each group is loaded with ONE call of `load`, so a page of parents
 * costs one statement per distinct set of arguments, never one per parent. Normalise the arguments (sorted,
 * deduplicated lists) before loading so that equal requests share a group.
 */
export function childListLoader<A, T>(load: (parentIds: string[], args: A) => Promise<T[][]>): DataLoader<ChildListKey<A>, T[]> {
  return new DataLoader<ChildListKey<A>, T[]>(
    async (keys) => {
      const groups = new Map<string, { args: A; parentIds: string[] }>();
      for (const { parentId, args } of keys) {
        const signature = JSON.stringify(args);
        const group = groups.get(signature) ?? { args, parentIds: [] };
        if (!group.parentIds.includes(parentId)) {
          group.parentIds.push(parentId);
        }
        groups.set(signature, group);
      }
      const results = new Map<string, T[]>();
      await Promise.all(
        [...groups].map(async ([signature, { args, parentIds }]) => {
          const lists = await load(parentIds, args);
          parentIds.forEach((parentId, index) => results.set(`${signature}|${parentId}`, lists[index]));
        }),
      );
      return keys.map(({ parentId, args }) => results.get(`${JSON.stringify(args)}|${parentId}`) ?? []);
    },
    { cache: false },
  );
}
