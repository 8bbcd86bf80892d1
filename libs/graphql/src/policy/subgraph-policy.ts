import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConcordError, currentContext, ErrorCode, type Logger } from '@concord/common';
import { PolicyEngine, PolicyStore, type PolicyBundle, type PolicyStoreStatus } from '@concord/policy';
import type { SubgraphPolicy } from './write-policy.hook';

/**
 * Where a subgraph's policy bundle comes from: governance (polled; the last good bundle kept in `cacheFile`), a
 * file, or a bundle given in code. Without any of them the built-in default bundle is enforced (tests, embedding).
 */
export interface SubgraphPolicyOptions {
  bundle?: PolicyBundle;
  governanceUrl?: string;
  policyPath?: string;
  cacheFile?: string;
  pollMs?: number;
  /** GOVERNANCE_TOKEN, sent to governance as a bearer token */
  governanceToken?: string;
}

/**
 * The subgraph's view of the policy bundle in force: one PolicyEngine per bundle version, swapped when the store
 * sees a new version (within its poll interval, no restart).
 */
export class SubgraphPolicyService implements SubgraphPolicy, OnModuleInit, OnModuleDestroy {
  private current: PolicyEngine | undefined;
  private readonly store: PolicyStore | undefined;

  constructor(options: SubgraphPolicyOptions, logger: Logger) {
    if (options.governanceUrl || options.policyPath) {
      this.store = new PolicyStore({
        governanceUrl: options.governanceUrl,
        policyPath: options.policyPath,
        cacheFile: options.cacheFile,
        pollMs: options.pollMs,
        fetchHeaders: options.governanceToken ? { authorization: `Bearer ${options.governanceToken}` } : undefined,
        logger,
      });
      this.store.onChange((bundle) => {
        this.current = new PolicyEngine(bundle);
      });
    } else if (options.bundle) {
      this.current = new PolicyEngine(options.bundle);
    }
  }

  async onModuleInit(): Promise<void> {
    await this.store?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.store?.stop();
  }

  engine(): PolicyEngine | undefined {
    return this.current;
  }

  status(): PolicyStoreStatus {
    if (this.store) {
      return this.store.status();
    }
    return { ready: this.current !== undefined, degraded: false, version: this.current?.version ?? null, source: 'file' };
  }

  /**
   * Whether the caller of the current request may read `field` of this row (the same decision as assertCanRead,
   * without throwing): for values a resolver uses without returning them, or leaves out silently.
   */
  canRead(typeName: string, row: Record<string, unknown>, field: string): boolean {
    const engine = this.current;
    const caller = currentContext()?.actor;
    return Boolean(engine && caller && engine.canReadField(caller, typeName, row, field));
  }

  /**
   * The subgraph half of a `conditional` field (ARCHITECTURE.md §5.3): the row rule decided on the loaded row, with
   * the same CASL rules the gateway uses. Throws FORBIDDEN_FIELD, which answers null with the error at the path.
   */
  assertCanRead(typeName: string, row: Record<string, unknown>, field: string): void {
    if (this.canRead(typeName, row, field)) {
      return;
    }
    throw new ConcordError(ErrorCode.FORBIDDEN_FIELD, `Not authorized to read ${typeName}.${field} of this ${typeName}`, {
      coordinate: `${typeName}.${field}`,
    });
  }
}
