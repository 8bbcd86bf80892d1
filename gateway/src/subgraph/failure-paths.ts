import { Kind, parse, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export type SubgraphErrorPath = (string | number)[];

/** At most this many per-path errors for one failed fetch; the rest are summed up in one error without a path. */
export const MAX_FAILURE_PATHS = 100;

const parsedQueries = new Map<string, DocumentNode>();
const MAX_PARSED_QUERIES = 1_000;

function parseCached(query: string): DocumentNode {
  let document = parsedQueries.get(query);
  if (!document) {
    document = parse(query, { noLocation: true });
    if (parsedQueries.size >= MAX_PARSED_QUERIES) {
      parsedQueries.clear();
    }
    parsedQueries.set(query, document);
  }
  return document;
}

/** Response names selected by a selection set, per type condition ('' = any type), fragments expanded. */
function collectResponseNames(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  typeCondition: string,
  into: Map<string, Set<string>>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD: {
        if (selection.name.value === '__typename') {
          continue;
        }
        const names = into.get(typeCondition) ?? new Set<string>();
        names.add(selection.alias?.value ?? selection.name.value);
        into.set(typeCondition, names);
        break;
      }
      case Kind.INLINE_FRAGMENT:
        collectResponseNames(selection.selectionSet, fragments, selection.typeCondition?.name.value ?? typeCondition, into, visited);
        break;
      case Kind.FRAGMENT_SPREAD: {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !visited.has(fragment.name.value)) {
          visited.add(fragment.name.value);
          collectResponseNames(fragment.selectionSet, fragments, fragment.typeCondition.name.value, into, visited);
        }
        break;
      }
    }
  }
}

/**
 * The paths (relative to the fetch, as the gateway expects them) a failed subgraph fetch would have filled:
 * the root fields of a root fetch, or `_entities.<i>.<field>` for every representation of an entity fetch.
 * The gateway maps them to paths in the client's response, so the client gets an error at each path the
 * subgraph serves instead of one error without a path.
 */
export function failurePaths(query: string, variables: Readonly<Record<string, unknown>> | undefined): SubgraphErrorPath[] {
  let document: DocumentNode;
  try {
    document = parseCached(query);
  } catch {
    return [];
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  let selectionSet: SelectionSetNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    } else if (definition.kind === Kind.OPERATION_DEFINITION && !selectionSet) {
      selectionSet = definition.selectionSet;
    }
  }
  if (!selectionSet) {
    return [];
  }
  const entitiesField = selectionSet.selections.find((selection) => selection.kind === Kind.FIELD && selection.name.value === '_entities');
  const representations = variables?.representations;
  if (entitiesField?.kind === Kind.FIELD && entitiesField.selectionSet && Array.isArray(representations)) {
    const byType = new Map<string, Set<string>>();
    collectResponseNames(entitiesField.selectionSet, fragments, '', byType, new Set());
    const responseName = entitiesField.alias?.value ?? '_entities';
    const paths: SubgraphErrorPath[] = [];
    representations.forEach((representation: unknown, index) => {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      const names = new Set([...(byType.get('') ?? []), ...(typeof typename === 'string' ? (byType.get(typename) ?? []) : [])]);
      for (const name of names) {
        paths.push([responseName, index, name]);
      }
    });
    return paths;
  }
  const byType = new Map<string, Set<string>>();
  collectResponseNames(selectionSet, fragments, '', byType, new Set());
  const names = new Set<string>();
  for (const set of byType.values()) {
    for (const name of set) {
      names.add(name);
    }
  }
  return [...names].map((name) => [name]);
}
