import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * The deepest field nesting of any operation in the document (`{ a { b } }` is 2), fragments expanded.
 * Fragment depths are memoised, so fragments spread many times cost once; cycles (which validation rejects
 * anyway) count as 0 rather than looping.
 */
export function queryDepth(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const memo = new Map<string, number>();
  const visiting = new Set<string>();

  const fragmentDepth = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) {
      return known;
    }
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(name)) {
      return 0;
    }
    visiting.add(name);
    const depth = selectionDepth(fragment.selectionSet);
    visiting.delete(name);
    memo.set(name, depth);
    return depth;
  };

  const selectionDepth = (selectionSet: SelectionSetNode): number => {
    let max = 0;
    for (const selection of selectionSet.selections) {
      let depth: number;
      switch (selection.kind) {
        case Kind.FIELD:
          depth = 1 + (selection.selectionSet ? selectionDepth(selection.selectionSet) : 0);
          break;
        case Kind.INLINE_FRAGMENT:
          depth = selectionDepth(selection.selectionSet);
          break;
        case Kind.FRAGMENT_SPREAD:
          depth = fragmentDepth(selection.name.value);
          break;
      }
      if (depth > max) {
        max = depth;
      }
    }
    return max;
  };

  let max = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      max = Math.max(max, selectionDepth(definition.selectionSet));
    }
  }
  return max;
}
