import { childListLoader } from './child-list.loader';

describe('childListLoader', () => {
  it('should load the keys of one tick with one call per distinct set of arguments', async () => {
    const calls: { parentIds: string[]; args: { first: number } }[] = [];
    const sut = childListLoader<{ first: number }, string>(async (parentIds, args) => {
      calls.push({ parentIds, args });
      return parentIds.map((parentId) => [`${parentId}:${args.first}`]);
    });

    const lists = await Promise.all([
      sut.load({ parentId: 'a', args: { first: 1 } }),
      sut.load({ parentId: 'b', args: { first: 1 } }),
      sut.load({ parentId: 'a', args: { first: 2 } }),
      sut.load({ parentId: 'a', args: { first: 1 } }),
    ]);

    expect(lists).toEqual([['a:1'], ['b:1'], ['a:2'], ['a:1']]);
    expect(calls).toEqual([
      { parentIds: ['a', 'b'], args: { first: 1 } },
      { parentIds: ['a'], args: { first: 2 } },
    ]);
  });
});
