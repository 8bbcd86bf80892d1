import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The repository root (libs/testing/src → ../../..). */
const ROOT = join(__dirname, '..', '..', '..');

/** How a command ended: its exit code and everything it printed (stdout, then stderr). */
export interface ToolRun {
  code: number;
  output: string;
}

/**
 * Runs one of the repository's commands (`tools/schema.mjs`, `tools/operations.mjs`, …) with node, as a user would
 * through npm: extra environment on top of this process's, at most `timeoutMs` (default 60 s).
 */
export function runTool(
  script: string,
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [join(ROOT, script), ...args],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}
