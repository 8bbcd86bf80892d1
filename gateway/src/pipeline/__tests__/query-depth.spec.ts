import { parse } from 'graphql';
import { queryDepth } from '../query-depth';

describe(queryDepth.name, () => {
  it.each([
    ['{ a }', 1],
    ['{ a { b { c } } d }', 3],
    ['{ a { ... on T { b { c } } } }', 3],
    ['query { a { ...F } } fragment F on T { b { c { d } } }', 4],
    ['query A { a } query B { a { b } }', 2],
    ['{ __schema { types { fields { type { ofType { name } } } } } }', 6],
  ])('should measure %s as %i', (query, depth) => {
    expect(queryDepth(parse(query))).toBe(depth);
  });

  it('should measure fragments spread many times once (no blow-up)', () => {
    const levels = 30;
    const fragments = Array.from(
      { length: levels },
      (_, index) => `fragment F${index} on T { x: a { ...F${index + 1} } y: a { ...F${index + 1} } }`,
    ).join('\n');
    const document = parse(`{ ...F0 } ${fragments} fragment F${levels} on T { leaf }`);

    const started = Date.now();
    const depth = queryDepth(document);

    expect(depth).toBe(levels + 1);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('should not loop on fragment cycles', () => {
    expect(queryDepth(parse('{ ...A } fragment A on T { a { ...B } } fragment B on T { b { ...A } }'))).toBe(2);
  });
});
