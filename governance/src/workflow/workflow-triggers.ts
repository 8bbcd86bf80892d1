import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditEvent } from '@concord/common';
import { AuditLedgerService, type LedgerSubscriber } from '../audit/audit-ledger.service';
import { WORKFLOW_DEFINITIONS, type WorkflowDefinition, type WorkflowStart } from './workflow-definition';
import { WorkflowEngine } from './workflow-engine';
import { WorkflowRunStore } from './workflow-run.store';

/**
 * Starts workflow runs from the audit ledger: every write of the subgraphs reaches the ledger through their outbox
 * (ARCHITECTURE.md §6), so the ledger is the event stream the flows react to — an opportunity moving to CLOSED_WON,
 * a change order approved, a contract's consumption crossing its threshold. A run is inserted in the same transaction
 * that appends the event and is unique per kind and business key: an event delivered twice, or two events about the
 * same opportunity, start one run.
 */
@Injectable()
export class WorkflowTriggers implements LedgerSubscriber, OnModuleInit {
  constructor(
    private readonly ledger: AuditLedgerService,
    private readonly store: WorkflowRunStore,
    private readonly engine: WorkflowEngine,
    @Inject(WORKFLOW_DEFINITIONS) private readonly definitions: readonly WorkflowDefinition[],
  ) {}

  onModuleInit(): void {
    this.ledger.subscribe(this);
  }

  async appended(manager: EntityManager, events: readonly AuditEvent[]): Promise<void> {
    const starts: WorkflowStart[] = [];
    for (const event of events) {
      if (event.service === 'governance' || event.action === 'denied' || event.action === 'read') {
        continue;
      }
      for (const definition of this.definitions) {
        const start = definition.trigger(event);
        if (start) {
          starts.push({ correlationId: event.correlationId, triggerEventId: event.eventId, ...start });
        }
      }
    }
    if (starts.length > 0 && (await this.store.start(manager, starts)) > 0) {
      // after the appending transaction commits (the poll finds them anyway)
      setTimeout(() => this.engine.poke(), 25).unref();
    }
  }
}
