/** A federation reference `{ id }` to an entity another subgraph owns, or null when the id is not set. */
export function referenceTo(id: string | null | undefined): { id: string } | null {
  return id ? { id } : null;
}
