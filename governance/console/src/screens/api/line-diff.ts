export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
  /** line numbers in the old and the new text (null where the line is absent) */
  oldLine: number | null;
  newLine: number | null;
}

/**
 * A line diff of two texts (longest common subsequence): every line of both, in order, as kept, removed or added.
 * Quadratic in the line counts, which SDLs of a few thousand lines afford.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const lengths: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ kind: 'same', text: a[i], oldLine: i + 1, newLine: j + 1 });
      i += 1;
      j += 1;
    } else if (j < b.length && (i >= a.length || lengths[i][j + 1] > lengths[i + 1][j])) {
      lines.push({ kind: 'added', text: b[j], oldLine: null, newLine: j + 1 });
      j += 1;
    } else {
      lines.push({ kind: 'removed', text: a[i], oldLine: i + 1, newLine: null });
      i += 1;
    }
  }
  return lines;
}

/** Only the changed lines with `context` unchanged lines around them; skipped runs become one `null`. */
export function withContext(lines: DiffLine[], context = 3): (DiffLine | null)[] {
  const keep = lines.map(() => false);
  lines.forEach((line, index) => {
    if (line.kind !== 'same') {
      for (let k = Math.max(0, index - context); k <= Math.min(lines.length - 1, index + context); k += 1) {
        keep[k] = true;
      }
    }
  });
  const shown: (DiffLine | null)[] = [];
  lines.forEach((line, index) => {
    if (keep[index]) {
      shown.push(line);
    } else if (shown[shown.length - 1] !== null) {
      shown.push(null);
    }
  });
  return shown;
}
