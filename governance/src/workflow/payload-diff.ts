import type { JsonObject } from './workflow-definition';

/** One RFC 6902 operation of a payload edit. */
export type PayloadPatchOperation = { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 6901: `~` and `/` in a key are escaped. */
function pointer(parent: string, key: string): string {
  return `${parent}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * A steward's payload edit as a JSON patch (RFC 6902): nested objects are compared key by key, any other value
 * (arrays included) is replaced whole. Applying the patch to `before` gives `after`; no change gives [].
 */
export function payloadPatch(before: JsonObject, after: JsonObject, path = ''): PayloadPatchOperation[] {
  const operations: PayloadPatchOperation[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const at = pointer(path, key);
    if (!Object.hasOwn(after, key)) {
      operations.push({ op: 'remove', path: at });
    } else if (!Object.hasOwn(before, key)) {
      operations.push({ op: 'add', path: at, value: after[key] });
    } else if (isObject(before[key]) && isObject(after[key])) {
      operations.push(...payloadPatch(before[key], after[key], at));
    } else if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      operations.push({ op: 'replace', path: at, value: after[key] });
    }
  }
  return operations;
}

/** The top-level keys an edit touched, with their values before and after (absent keys left out). */
export function changedValues(before: JsonObject, after: JsonObject, keys: readonly string[]): { before: JsonObject; after: JsonObject } {
  const pick = (source: JsonObject) =>
    Object.fromEntries(keys.filter((key) => Object.hasOwn(source, key)).map((key) => [key, source[key]])) as JsonObject;
  return { before: pick(before), after: pick(after) };
}
