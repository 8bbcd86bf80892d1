import { registerEnumType } from '@nestjs/graphql';
import { StateMachine } from '@concord/common';

export enum OpportunityStage {
  PROSPECTING = 'PROSPECTING',
  QUALIFICATION = 'QUALIFICATION',
  PROPOSAL = 'PROPOSAL',
  NEGOTIATION = 'NEGOTIATION',
  CLOSED_WON = 'CLOSED_WON',
  CLOSED_LOST = 'CLOSED_LOST',
}
registerEnumType(OpportunityStage, { name: 'OpportunityStage' });

const { PROSPECTING, QUALIFICATION, PROPOSAL, NEGOTIATION, CLOSED_WON, CLOSED_LOST } = OpportunityStage;

export const OPEN_STAGES: readonly OpportunityStage[] = [PROSPECTING, QUALIFICATION, PROPOSAL, NEGOTIATION];

export function isClosed(stage: OpportunityStage): boolean {
  return stage === CLOSED_WON || stage === CLOSED_LOST;
}

/** Probability an opportunity gets when it enters a stage (Salesforce-style stage defaults; won 100, lost 0 per DOMAIN.md §2). */
export const STAGE_PROBABILITY: Readonly<Record<OpportunityStage, number>> = {
  PROSPECTING: 10,
  QUALIFICATION: 25,
  PROPOSAL: 50,
  NEGOTIATION: 75,
  CLOSED_WON: 100,
  CLOSED_LOST: 0,
};

/**
 * DOMAIN.md §2: PROSPECTING → QUALIFICATION → PROPOSAL → NEGOTIATION → CLOSED_WON | CLOSED_LOST, reopen to an open
 * stage. Open stages advance one step, may step back to any earlier open stage and may be lost at any point; only a
 * negotiated opportunity can be won. A closed one reopens to an open stage (never straight to the other outcome).
 */
export const opportunityStages = new StateMachine<OpportunityStage>('Opportunity', {
  PROSPECTING: [QUALIFICATION, CLOSED_LOST],
  QUALIFICATION: [PROSPECTING, PROPOSAL, CLOSED_LOST],
  PROPOSAL: [PROSPECTING, QUALIFICATION, NEGOTIATION, CLOSED_LOST],
  NEGOTIATION: [PROSPECTING, QUALIFICATION, PROPOSAL, CLOSED_WON, CLOSED_LOST],
  CLOSED_WON: [...OPEN_STAGES],
  CLOSED_LOST: [...OPEN_STAGES],
});
