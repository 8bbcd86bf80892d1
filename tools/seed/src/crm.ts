import { type Cents, fromCents, multiplyHours, rate6 } from './amounts';
import { type Day, instant, isoOf, REFERENCE_DAY } from './calendar';
import { uuidV7 } from './ids';
import type { Deal } from './model';
import { CONTACT_TITLES, email, personName } from './names';
import type { Random } from './random';
import type { Tables } from './tables';
import { TEAM_ROLES, type World } from './world';

export type Stage = 'PROSPECTING' | 'QUALIFICATION' | 'PROPOSAL' | 'NEGOTIATION' | 'CLOSED_WON' | 'CLOSED_LOST';
export const OPEN_STAGES: readonly Stage[] = ['PROSPECTING', 'QUALIFICATION', 'PROPOSAL', 'NEGOTIATION'];
const STAGE_PROBABILITY: Record<Stage, number> = {
  PROSPECTING: 10,
  QUALIFICATION: 25,
  PROPOSAL: 50,
  NEGOTIATION: 75,
  CLOSED_WON: 100,
  CLOSED_LOST: 0,
};
const LOST_REASONS = ['Price too high', 'Chose a competitor', 'Project postponed', 'No budget this year', 'Went with in-house team'];

export interface ClientContext {
  random: Random;
  ids: Random;
  tables: Tables;
  world: World;
  clientId: string;
  currency: string;
  ownerId: string;
  domain: string;
  clientName: string;
  primaryContactId: string;
  /** Next quote number (global counter, Q-000001 …), shared with the crm.quote_number_seq the service uses. */
  nextQuoteNumber: () => number;
}

/** 2 to 4 contacts, the first one primary. Returns the primary contact id. */
export function writeContacts(context: Omit<ClientContext, 'primaryContactId'>, createdDay: Day): string {
  const { random, ids, tables, clientId, domain } = context;
  const count = random.int(2, 4);
  let primary = '';
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const person = personName(random);
    let address = email(person.first, person.last, domain);
    for (let n = 2; used.has(address); n++) {
      address = email(person.first, person.last, domain, n);
    }
    used.add(address);
    const at = instant(createdDay + i * random.int(5, 60), 10, random.int(0, 59));
    const id = uuidV7(ids, at);
    if (i === 0) {
      primary = id;
    }
    tables.contact.push({
      id,
      created_at: at,
      updated_at: at,
      client_id: clientId,
      name: person.full,
      email: address,
      phone: `+1 555 ${String(random.int(1000000, 9999999))}`,
      title: random.pick(CONTACT_TITLES),
      is_primary: i === 0,
    });
  }
  return primary;
}

interface QuoteLineSpec {
  serviceCode: string;
  description: string;
  roleId: string | null;
  billingModel: 'TM' | 'FIXED' | 'MILESTONE';
  hours: number | null;
  quantity: number | null;
  unitRate: Cents;
  discountPct: number;
  amount: Cents;
  milestoneName: string | null;
  milestoneDay: Day | null;
}

/** Quote lines of a deal (the contract lines are made from them 1:1). */
function linesOfDeal(deal: Deal): QuoteLineSpec[] {
  const none = { roleId: null, hours: null, quantity: null, discountPct: 0, milestoneName: null, milestoneDay: null };
  if (deal.billingModel === 'TM') {
    return deal.team.map((line) => ({
      ...none,
      serviceCode: `TM-${line.role.toUpperCase().replace(/\s+/g, '-')}`,
      description: `${line.role}, time and materials`,
      roleId: line.role,
      billingModel: 'TM' as const,
      hours: line.hours,
      unitRate: line.billRate * 100,
      amount: multiplyHours(line.hours, line.billRate * 100),
    }));
  }
  if (deal.billingModel === 'FIXED') {
    const list = (deal.fee * 100) / (100 - deal.discountPct);
    return [
      {
        ...none,
        serviceCode: 'FIXED-FEE',
        description: 'Fixed-fee delivery',
        billingModel: 'FIXED',
        quantity: 100,
        unitRate: list,
        discountPct: deal.discountPct,
        amount: deal.fee,
      },
    ];
  }
  return deal.milestones.map((milestone) => ({
    ...none,
    serviceCode: 'MILESTONE',
    description: `Milestone: ${milestone.name}`,
    billingModel: 'MILESTONE' as const,
    quantity: 100,
    unitRate: milestone.amount,
    amount: milestone.amount,
    milestoneName: milestone.name,
    milestoneDay: milestone.day,
  }));
}

/** A rough open deal for quotes of open or lost opportunities. */
function roughLines(random: Random, world: World, currency: string): QuoteLineSpec[] {
  const rates = world.billRates.get(currency)!;
  return random
    .sample(
      TEAM_ROLES.map(([role]) => role),
      random.int(1, 3),
    )
    .map((role) => {
      const hours = random.int(4, 40) * 1000;
      const rate = rates.get(role)! * 100;
      return {
        serviceCode: `TM-${role.toUpperCase().replace(/\s+/g, '-')}`,
        description: `${role}, time and materials`,
        roleId: role,
        billingModel: 'TM' as const,
        hours,
        quantity: null,
        unitRate: rate,
        discountPct: 0,
        amount: multiplyHours(hours, rate),
        milestoneName: null,
        milestoneDay: null,
      };
    });
}

function writeQuote(
  context: ClientContext,
  opportunityId: string,
  number: string,
  version: number,
  previousId: string | null,
  status: string,
  createdDay: Day,
  updatedDay: Day,
  lines: QuoteLineSpec[],
  currency: string,
  id = uuidV7(context.ids, instant(createdDay, 11)),
  lineIds: string[] = [],
): string {
  const { tables, ids } = context;
  const created = instant(createdDay, 11);
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  tables.quote.push({
    id,
    created_at: created,
    updated_at: instant(Math.max(createdDay, updatedDay), 16),
    number,
    opportunity_id: opportunityId,
    version,
    previous_version_id: previousId,
    status,
    // Open quotes are still valid at the reference date; closed ones were valid for 45 days.
    valid_until: isoOf(status === 'DRAFT' || status === 'SENT' ? Math.max(createdDay + 45, REFERENCE_DAY + 14) : createdDay + 45),
    currency,
    subtotal: fromCents(total),
    total: fromCents(total),
    billing_terms: lines[0]?.billingModel === 'TM' ? 'Monthly in arrears, time and materials' : 'Per billing schedule',
  });
  lines.forEach((line, i) => {
    tables.quoteLine.push({
      id: lineIds[i] ?? uuidV7(ids, instant(createdDay, 11, i + 1)),
      created_at: created,
      updated_at: created,
      quote_id: id,
      position: i + 1,
      service_code: line.serviceCode,
      description: line.description,
      role_id: line.roleId,
      billing_model: line.billingModel,
      hours: line.hours === null ? null : fromCents(line.hours),
      quantity: line.quantity === null ? null : fromCents(line.quantity),
      unit_rate: rate6(fromCents(line.unitRate)),
      discount_pct: `${line.discountPct}.00`,
      amount: fromCents(line.amount),
      currency,
      service_tracking: line.billingModel === 'MILESTONE' ? 'PROJECT_AND_TASK' : 'PROJECT',
      milestone_name: line.milestoneName,
      milestone_date: line.milestoneDay === null ? null : isoOf(line.milestoneDay),
    });
  });
  return id;
}

function quoteNumber(context: ClientContext): string {
  return `Q-${String(context.nextQuoteNumber()).padStart(6, '0')}`;
}

/** Ids of a won deal's CRM records, drawn before the contract and project that point back at them. */
export function reserveDealIds(context: ClientContext, deal: Deal): void {
  const sentDay = deal.closeDay - 20;
  deal.opportunityId = uuidV7(context.ids, instant(deal.closeDay - 60, 9));
  deal.quoteId = uuidV7(context.ids, instant(sentDay, 11));
  deal.quoteLineIds = linesOfDeal(deal).map((_, i) => uuidV7(context.ids, instant(sentDay, 11, i + 1)));
}

/** The CLOSED_WON opportunity of a deal with its ACCEPTED quote (sometimes a revision of a rejected first version). */
export function writeWonOpportunity(context: ClientContext, deal: Deal): void {
  const { random, tables } = context;
  const createdDay = deal.closeDay - random.int(45, 120);
  const lines = linesOfDeal(deal);
  const number = quoteNumber(context);
  const sentDay = deal.closeDay - 20;
  tables.opportunity.push(
    opportunityRow(
      context,
      deal.opportunityId,
      `${context.clientName}: ${deal.billingModel === 'TM' ? 'advisory' : deal.billingModel === 'FIXED' ? 'implementation' : 'transformation'} program ${deal.index + 1}`,
      {
        stage: 'CLOSED_WON',
        amount: deal.total,
        currency: deal.currency,
        createdDay,
        closeDay: deal.closeDay,
        expectedStartDay: deal.startDay,
        billingModel: deal.billingModel,
        lostReason: null,
        closedDay: deal.closeDay,
        contractId: deal.contractId,
        projectId: deal.projectId,
      },
    ),
  );
  if (random.chance(0.3)) {
    // First version rejected on price, the revision accepted.
    const first = writeQuote(context, deal.opportunityId, number, 1, null, 'REJECTED', sentDay - 25, sentDay - 5, lines, deal.currency);
    writeQuote(
      context,
      deal.opportunityId,
      `${number}-V2`,
      2,
      first,
      'ACCEPTED',
      sentDay,
      deal.closeDay,
      lines,
      deal.currency,
      deal.quoteId,
      deal.quoteLineIds,
    );
  } else {
    writeQuote(
      context,
      deal.opportunityId,
      number,
      1,
      null,
      'ACCEPTED',
      sentDay,
      deal.closeDay,
      lines,
      deal.currency,
      deal.quoteId,
      deal.quoteLineIds,
    );
  }
}

/** An open opportunity in `stage` (quotes as the stage implies) or a lost one (its quotes closed). */
export function writeOtherOpportunity(context: ClientContext, stage: Stage, n: number): void {
  const { random, ids, world, currency } = context;
  const lines = roughLines(random, world, currency);
  const amount = lines.reduce((sum, line) => sum + line.amount, 0);
  const lost = stage === 'CLOSED_LOST';
  const createdDay = lost ? REFERENCE_DAY - random.int(60, 700) : REFERENCE_DAY - random.int(5, 120);
  const closeDay = lost ? Math.min(REFERENCE_DAY - 1, createdDay + random.int(20, 90)) : REFERENCE_DAY + random.int(10, 150);
  const id = uuidV7(ids, instant(createdDay, 9));
  context.tables.opportunity.push(
    opportunityRow(context, id, `${context.clientName}: ${lines[0].roleId?.toLowerCase()} engagement ${n}`, {
      stage,
      amount,
      currency,
      createdDay,
      closeDay,
      expectedStartDay: lost ? null : closeDay + random.int(7, 30),
      billingModel: random.chance(0.8) ? 'TM' : null,
      lostReason: lost ? random.pick(LOST_REASONS) : null,
      closedDay: lost ? closeDay : null,
      contractId: null,
      projectId: null,
    }),
  );
  const quoteDay = Math.min(REFERENCE_DAY - 1, createdDay + random.int(3, 20));
  if (stage === 'QUALIFICATION' && random.chance(0.3)) {
    writeQuote(context, id, quoteNumber(context), 1, null, 'DRAFT', quoteDay, quoteDay, lines, currency);
  } else if (stage === 'PROPOSAL') {
    writeQuote(context, id, quoteNumber(context), 1, null, random.chance(0.6) ? 'SENT' : 'DRAFT', quoteDay, quoteDay, lines, currency);
  } else if (stage === 'NEGOTIATION') {
    const number = quoteNumber(context);
    if (random.chance(0.5)) {
      const first = writeQuote(context, id, number, 1, null, 'REJECTED', quoteDay, quoteDay, lines, currency);
      writeQuote(context, id, `${number}-V2`, 2, first, 'SENT', quoteDay, quoteDay, lines, currency);
    } else {
      writeQuote(context, id, number, 1, null, 'SENT', quoteDay, quoteDay, lines, currency);
    }
  } else if (lost && random.chance(0.7)) {
    writeQuote(
      context,
      id,
      quoteNumber(context),
      1,
      null,
      random.chance(0.7) ? 'REJECTED' : 'EXPIRED',
      createdDay + 5,
      closeDay,
      lines,
      currency,
    );
  }
}

interface OpportunityFacts {
  stage: Stage;
  amount: Cents;
  currency: string;
  createdDay: Day;
  closeDay: Day;
  expectedStartDay: Day | null;
  billingModel: string | null;
  lostReason: string | null;
  closedDay: Day | null;
  contractId: string | null;
  projectId: string | null;
}

function opportunityRow(context: ClientContext, id: string, name: string, facts: OpportunityFacts) {
  const created = instant(facts.createdDay, 9);
  const closed = facts.closedDay === null ? null : instant(facts.closedDay, 16);
  return {
    id,
    created_at: created,
    updated_at: closed ?? instant(Math.min(REFERENCE_DAY - 1, facts.createdDay + 3), 12),
    name,
    client_id: context.clientId,
    primary_contact_id: context.primaryContactId,
    owner_id: context.ownerId,
    stage: facts.stage,
    probability: STAGE_PROBABILITY[facts.stage],
    amount: fromCents(facts.amount),
    currency: facts.currency,
    close_date: isoOf(facts.closeDay),
    expected_start_date: facts.expectedStartDay === null ? null : isoOf(facts.expectedStartDay),
    billing_model: facts.billingModel,
    lost_reason: facts.lostReason,
    closed_at: closed,
    contract_id: facts.contractId,
    project_id: facts.projectId,
  };
}
