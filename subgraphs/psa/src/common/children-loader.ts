import DataLoader from 'dataloader';

export interface ChildrenKey<O> {
  parentId: string;
  /** field arguments (page size, filters); parents asked with the same options share one statement */
  options: O;
}

/**
 * Batches a nested list field (`Project.tasks`, `Client.projects`) over every parent asked for in one tick:
 * one statement per distinct set of field arguments, never one per parent. Validate `first` before loading.
 */
export function childrenLoader<T, O extends { first: number }>(
  load: (parentIds: string[], options: O) => Promise<T[][]>,
): DataLoader<ChildrenKey<O>, T[]> {
  return new DataLoader<ChildrenKey<O>, T[]>(
    async (keys) => {
      const batches = new Map<string, { options: O; parentIds: string[] }>();
      for (const { parentId, options } of keys) {
        const signature = JSON.stringify(options);
        const batch = batches.get(signature) ?? { options, parentIds: [] };
        if (!batch.parentIds.includes(parentId)) {
          batch.parentIds.push(parentId);
        }
        batches.set(signature, batch);
      }
      const results = new Map<string, T[]>();
      await Promise.all(
        [...batches].map(async ([signature, { options, parentIds }]) => {
          const groups = options.first === 0 ? parentIds.map(() => []) : await load(parentIds, options);
          parentIds.forEach((parentId, index) => results.set(`${signature}|${parentId}`, groups[index]));
        }),
      );
      return keys.map(({ parentId, options }) => results.get(`${JSON.stringify(options)}|${parentId}`) ?? []);
    },
    { cache: false },
  );
}
