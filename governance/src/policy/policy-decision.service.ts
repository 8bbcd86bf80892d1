import { Injectable } from '@nestjs/common';
import { PolicyEngine, type PolicyCaller } from '@concord/policy';
import { PolicyBundleService } from './policy-bundle.service';

/** What governance's own API checks: a CASL action on a subject (`read` AuditEvent, `manage` OwnershipRule). */
export interface RequiredAbility {
  action: string;
  subject: string;
}

/**
 * Governance decides its own API with the bundle it owns: a PolicyEngine of the latest stored version. Each decision
 * reads the latest version number (one primary-key lookup, so a version published by another replica counts at
 * once) and builds a new engine only when that number moved; the engine caches each caller's ability.
 */
@Injectable()
export class PolicyDecisionService {
  private current: PolicyEngine | undefined;

  constructor(private readonly policies: PolicyBundleService) {}

  /** The engine of the version in force. */
  async engine(): Promise<PolicyEngine> {
    const document = await this.policies.latestDocument();
    // concurrent requests may race here: the newest version wins, an engine is never replaced by an older one
    if (!this.current || this.current.version < document.version) {
      this.current = new PolicyEngine(document.bundle);
    }
    return this.current;
  }

  /** Whether the caller's roles grant the action on the subject under the bundle in force. */
  async allows(caller: PolicyCaller, required: RequiredAbility): Promise<boolean> {
    return (await this.engine()).abilityFor(caller).can(required.action, required.subject);
  }
}
