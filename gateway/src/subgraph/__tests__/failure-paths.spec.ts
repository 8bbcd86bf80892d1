import { failurePaths } from '../failure-paths';

describe(failurePaths.name, () => {
  it('should give the root fields of a root fetch, aliases and fragments included, __typename excluded', () => {
    const query =
      'query Q__orders__0 { __typename orders { id } first: order(id: "1") { id } ...Rest } fragment Rest on Query { stats { count } }';

    expect(failurePaths(query, {})).toEqual([['orders'], ['first'], ['stats']]);
  });

  it('should give each entity field for every representation of an entity fetch, by type', () => {
    const query = `query Q__orders__1($representations: [_Any!]!) {
      _entities(representations: $representations) { __typename ... on User { orders { id } rating } ... on Shop { orders { id } } }
    }`;
    const representations = [
      { __typename: 'User', id: 'u1' },
      { __typename: 'Shop', id: 's1' },
      { __typename: 'User', id: 'u2' },
    ];

    expect(failurePaths(query, { representations })).toEqual([
      ['_entities', 0, 'orders'],
      ['_entities', 0, 'rating'],
      ['_entities', 1, 'orders'],
      ['_entities', 2, 'orders'],
      ['_entities', 2, 'rating'],
    ]);
  });

  it('should give no path for a query it cannot parse', () => {
    expect(failurePaths('{ broken', undefined)).toEqual([]);
  });
});
