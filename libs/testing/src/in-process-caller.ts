import { randomUUID } from 'node:crypto';
import { runWithContext } from '@concord/common';
import { TEST_CALLER } from './test-identity';

/**
 * Runs in-process work (a service or the write point called directly, not through HTTP) as the test caller, the
 * way a request with a context token would: the write point's policy hook needs a caller.
 */
export function runAsTestCaller<T>(work: () => T, caller: { sub: string; roles: readonly string[] } = TEST_CALLER): T {
  return runWithContext({ correlationId: `test-${randomUUID()}`, actor: { sub: caller.sub, roles: [...caller.roles] } }, work);
}
