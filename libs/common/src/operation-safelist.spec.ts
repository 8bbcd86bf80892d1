import { createHash } from 'node:crypto';
import { parse } from 'graphql';
import { operationId } from './operation-safelist';

describe(operationId.name, () => {
  const PROJECTS = 'query Projects($first: Int) { projects(first: $first) { edges { node { id name } } } }';

  it('should be the sha256 hex of the document as graphql-js prints it', () => {
    const printed =
      'query Projects($first: Int) {\n  projects(first: $first) {\n    edges {\n      node {\n        id\n        name\n      }\n    }\n  }\n}';

    expect(operationId(PROJECTS)).toBe(createHash('sha256').update(printed).digest('hex'));
    expect(operationId(PROJECTS)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('should not depend on whitespace, commas or comments, nor on whether it is given parsed', () => {
    const spaced = `
      # the dashboard's project list
      query   Projects( $first : Int ) {
        projects(first: $first) { edges { node { id, name } } }
      }`;

    expect(operationId(spaced)).toBe(operationId(PROJECTS));
    expect(operationId(parse(spaced))).toBe(operationId(PROJECTS));
  });

  it.each([
    ['another field', PROJECTS.replace('id name', 'id margin')],
    ['fields in another order', PROJECTS.replace('id name', 'name id')],
    ['an alias', PROJECTS.replace('id name', 'id title: name')],
    ['a literal argument', PROJECTS.replace('first: $first', 'first: 100')],
    ['another operation name', PROJECTS.replace('Projects', 'AllProjects')],
  ])('should change with %s', (_what, other) => {
    expect(operationId(other)).not.toBe(operationId(PROJECTS));
  });

  it('should throw the syntax error of a text that does not parse', () => {
    expect(() => operationId('query { projects { ')).toThrow(/Syntax Error/);
  });
});
