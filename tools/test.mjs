// `npm test` (after the pretest build): the type check, then every jest project (unit, integration, e2e).
// Extra arguments go to jest (`npm test -- governance --verbose`). The last line is always
// `jest: <passed> passed, <failed> failed[, <skipped> skipped]`. A failing type check does not stop the tests
// (their results are still worth seeing) but makes the run fail, as a failing test does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

// the services and tools, then the console (browser code: its own DOM and JSX settings)
const typecheckFailed = [
  ['tsconfig.json', '--noEmit'],
  ['governance/console/tsconfig.json'],
]
  .map(([project, ...flags]) => {
    console.log(`• typecheck: tsc -p ${project} ${flags.join(' ')}`.trimEnd());
    return spawnSync(bin('tsc'), ['-p', project, ...flags], { cwd: root, stdio: 'inherit' }).status !== 0;
  })
  .some(Boolean);
console.log(typecheckFailed ? '✗ typecheck failed (jest runs anyway; the run will fail)' : '  ✓ typecheck clean');

const outputDir = mkdtempSync(join(tmpdir(), 'concord-jest-'));
const outputFile = join(outputDir, 'results.json');
const args = ['--maxWorkers=2', '--json', `--outputFile=${outputFile}`, ...process.argv.slice(2)];
console.log(`• jest ${args.filter((arg) => !arg.startsWith('--outputFile')).join(' ')}`);
const jest = spawnSync(bin('jest'), args, { cwd: root, stdio: 'inherit' });

let results = null;
try {
  results = JSON.parse(readFileSync(outputFile, 'utf8'));
} catch {
  // jest failed before writing results (bad config, bad arguments): its own output says why
}
rmSync(outputDir, { recursive: true, force: true });

const passed = results?.numPassedTests ?? 0;
const brokenSuites = results?.numRuntimeErrorTestSuites ?? 0;
const failed = (results?.numFailedTests ?? 0) + brokenSuites;
const skipped = (results?.numPendingTests ?? 0) + (results?.numTodoTests ?? 0);
if (brokenSuites) {
  console.log(`✗ ${brokenSuites} test file(s) failed to run (each counted as one failure below)`);
}
if (!results) {
  console.log('✗ jest wrote no results');
}
if (typecheckFailed) {
  console.log('✗ the type check failed (see above)');
}
console.log(`jest: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(typecheckFailed && jest.status === 0 ? 1 : (jest.status ?? 1));
