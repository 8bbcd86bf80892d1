// Transpiles every project's src/ to its dist/ with SWC (decorator metadata on, as Nest needs), then bundles the
// console with Vite.
// Type checking is a separate step (`npm run typecheck`), so a build takes a second or two.
import { transformFile } from '@swc/core';
import { readFile, readdir, mkdir, writeFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const projects = [
  'libs/common',
  'libs/policy',
  'libs/graphql',
  'libs/testing',
  'subgraphs/crm',
  'subgraphs/erp',
  'subgraphs/psa',
  'gateway',
  'governance',
  'tools/seed',
  'tools/reconcile',
];
const swcOptions = JSON.parse(await readFile(join(root, '.swcrc'), 'utf8'));
delete swcOptions.$schema;

async function* sourceFiles(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') {
      return;
    }
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__tests__') {
        yield* sourceFiles(path);
      }
    } else if (entry.name.endsWith('.ts') && !/\.(spec|integration-spec|e2e-spec)\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      yield path;
    }
  }
}

const started = Date.now();
let count = 0;
for (const project of projects) {
  const src = join(root, project, 'src');
  const dist = join(root, project, 'dist');
  await rm(dist, { recursive: true, force: true });
  const jobs = [];
  for await (const file of sourceFiles(src)) {
    const out = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
    jobs.push(
      transformFile(file, { ...swcOptions, swcrc: false, filename: file, sourceFileName: relative(dirname(out), file) }).then(
        async ({ code, map }) => {
          await mkdir(dirname(out), { recursive: true });
          await writeFile(out, `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
          if (map) {
            await writeFile(`${out}.map`, map);
          }
        },
      ),
    );
    count++;
  }
  await Promise.all(jobs);
}
const transpiled = Date.now();
// the console (governance/console): a Vite production bundle that governance serves at /console
const { build: viteBuild } = await import('vite');
await viteBuild({ configFile: join(root, 'governance/console/vite.config.ts'), logLevel: 'warn' });
if (process.env.CONCORD_BUILD_QUIET !== '1') {
  console.log(`build: ${count} files in ${transpiled - started} ms, console bundle in ${Date.now() - transpiled} ms`);
}
