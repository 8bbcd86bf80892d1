import { lineDiff, withContext } from './line-diff';

describe('lineDiff', () => {
  it('should keep common lines and mark removed and added ones with their line numbers', () => {
    const sut = lineDiff('type A {\n  a: Int\n  b: Int\n}', 'type A {\n  b: Int\n  c: Int\n}');

    expect(sut).toEqual([
      { kind: 'same', text: 'type A {', oldLine: 1, newLine: 1 },
      { kind: 'removed', text: '  a: Int', oldLine: 2, newLine: null },
      { kind: 'same', text: '  b: Int', oldLine: 3, newLine: 2 },
      { kind: 'added', text: '  c: Int', oldLine: null, newLine: 3 },
      { kind: 'same', text: '}', oldLine: 4, newLine: 4 },
    ]);
  });

  it('should fold long unchanged runs into one gap', () => {
    const before = Array.from({ length: 20 }, (_, index) => `line ${index}`).join('\n');
    const after = before.replace('line 10', 'line ten');

    const shown = withContext(lineDiff(before, after), 2);

    expect(shown[0]).toBeNull();
    expect(shown.filter((line) => line !== null).map((line) => line!.text)).toEqual([
      'line 8',
      'line 9',
      'line 10',
      'line ten',
      'line 11',
      'line 12',
    ]);
    expect(shown[shown.length - 1]).toBeNull();
  });
});
