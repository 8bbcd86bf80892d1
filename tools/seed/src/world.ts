import { decimal } from '@concord/common';
import { rate6 } from './amounts';
import { addMonths, type Day, HISTORY_MONTHS, HISTORY_START_DAY, instant, isoOf, monthStart, REFERENCE_DAY } from './calendar';
import { uuidV7 } from './ids';
import { personName } from './names';
import { Random } from './random';
import type { Tables } from './tables';

/** A legal entity of the firm: it employs resources, signs contracts and issues invoices in its currency. */
export interface LegalEntity {
  id: string;
  code: string;
  name: string;
  country: string;
  currency: string;
  /** Sales tax / VAT on services, percent with 4 decimals (invoice.tax_rate). */
  taxRate: string;
  /** Regions of the clients it serves. */
  region: Region;
}

export type Region = 'US' | 'UK' | 'EU';

export interface Role {
  name: string;
  /** Standard bill rate per hour in USD, whole units. */
  usdBillRate: number;
  /** Cost per hour in USD, whole units (converted per legal entity currency). */
  usdCostRate: number;
  /** How common the role is among resources: proportional to the hours projects ask of it (see deal.ts). */
  weight: number;
}

export const ROLES: readonly Role[] = [
  { name: 'Partner', usdBillRate: 420, usdCostRate: 190, weight: 1 },
  { name: 'Principal Consultant', usdBillRate: 310, usdCostRate: 140, weight: 6 },
  { name: 'Solution Architect', usdBillRate: 265, usdCostRate: 120, weight: 10 },
  { name: 'Project Manager', usdBillRate: 210, usdCostRate: 95, weight: 5 },
  { name: 'Senior Consultant', usdBillRate: 225, usdCostRate: 100, weight: 20 },
  { name: 'Consultant', usdBillRate: 175, usdCostRate: 75, weight: 22 },
  { name: 'Developer', usdBillRate: 160, usdCostRate: 70, weight: 19 },
  { name: 'Analyst', usdBillRate: 125, usdCostRate: 50, weight: 14 },
];

/** Roles staffed on delivery teams, by how often a project needs them. */
export const TEAM_ROLES: readonly (readonly [string, number])[] = [
  ['Senior Consultant', 10],
  ['Consultant', 12],
  ['Developer', 9],
  ['Analyst', 6],
  ['Solution Architect', 4],
  ['Principal Consultant', 2],
];

const CURRENCIES: readonly { code: string; name: string; perUsd: number }[] = [
  { code: 'USD', name: 'US Dollar', perUsd: 1 },
  { code: 'EUR', name: 'Euro', perUsd: 0.92 },
  { code: 'GBP', name: 'Pound Sterling', perUsd: 0.79 },
];

const LEGAL_ENTITIES: readonly Omit<LegalEntity, 'id'>[] = [
  { code: 'CON-US', name: 'Concord Consulting Inc.', country: 'US', currency: 'USD', taxRate: '0.0000', region: 'US' },
  { code: 'CON-UK', name: 'Concord Consulting Ltd', country: 'GB', currency: 'GBP', taxRate: '20.0000', region: 'UK' },
  { code: 'CON-DE', name: 'Concord Beratung GmbH', country: 'DE', currency: 'EUR', taxRate: '19.0000', region: 'EU' },
];

export interface Resource {
  id: string;
  index: number;
  personId: string;
  name: string;
  role: string;
  legalEntity: LegalEntity;
  currency: string;
  /** Cost per hour in the resource currency, 2 decimals. */
  costRate: string;
  capacityHoursPerWeek: number;
  utilizationTargetPct: string;
  /** Quarter hours booked per day since HISTORY_START_DAY (no double booking beyond a working day). */
  load: Uint8Array;
  hireDay: Day;
}

/** Monthly FX rates (dated the 1st) between every pair of currencies, both directions. */
export class FxTable {
  private readonly rates = new Map<string, string>();

  set(from: string, to: string, month: Day, rate: string): void {
    this.rates.set(`${from}${to}${month}`, rate);
  }

  /** The rate used on a date: the latest rate dated on or before it (rates are monthly, on the 1st). */
  rate(from: string, to: string, day: Day): string {
    if (from === to) {
      return '1.000000';
    }
    const month = Math.max(monthStart(day), HISTORY_START_DAY);
    const rate = this.rates.get(`${from}${to}${Math.min(month, addMonths(REFERENCE_DAY, -1))}`);
    if (!rate) {
      throw new Error(`no FX rate ${from}→${to} for ${isoOf(day)}`);
    }
    return rate;
  }
}

export interface World {
  legalEntities: LegalEntity[];
  legalEntityByRegion: Record<Region, LegalEntity>;
  currencies: string[];
  fx: FxTable;
  /** Rate card id per currency. */
  rateCards: Map<string, string>;
  /** Bill rate per hour (whole units) by currency and role. */
  billRates: Map<string, Map<string, number>>;
  resources: Resource[];
  resourcesByRole: Map<string, Resource[]>;
  /** Delivery managers (project.manager_id) and sales owners (client/opportunity owner_id). */
  managers: string[];
  salesOwners: string[];
}

/** Whole units in a currency, rounded to a "nice" step. */
function convertRate(usd: number, perUsd: number, step = 5): number {
  return Math.max(step, Math.round((usd * perUsd) / step) * step);
}

/**
 * Reference data every client shares: legal entities, currencies and 24 months of FX rates, rate cards per
 * currency, the resource pool (linear in scale) and the user ids of managers and sales owners.
 */
export function buildWorld(seed: number, resourceCount: number, tables: Tables): World {
  const random = Random.of(seed, 'world');
  const ids = Random.of(seed, 'world-ids');
  const createdAt = instant(HISTORY_START_DAY - 90, 8);

  const legalEntities = LEGAL_ENTITIES.map((entity) => ({ ...entity, id: uuidV7(ids, createdAt) }));
  for (const entity of legalEntities) {
    tables.legalEntity.push({
      id: entity.id,
      created_at: createdAt,
      updated_at: createdAt,
      code: entity.code,
      name: entity.name,
      country: entity.country,
      functional_currency: entity.currency,
      tax_id: `${entity.country}${String(random.int(100000000, 999999999))}`,
    });
  }
  const legalEntityByRegion = Object.fromEntries(legalEntities.map((entity) => [entity.region, entity])) as Record<Region, LegalEntity>;

  for (const currency of CURRENCIES) {
    tables.currency.push({
      id: uuidV7(ids, createdAt),
      created_at: createdAt,
      updated_at: createdAt,
      code: currency.code,
      name: currency.name,
      decimals: 2,
    });
  }

  // FX: a gentle random walk per currency against USD, one rate per month, cross rates derived.
  const fx = new FxTable();
  const walk = new Map(CURRENCIES.map((currency) => [currency.code, currency.perUsd]));
  for (let m = 0; m < HISTORY_MONTHS; m++) {
    const month = addMonths(HISTORY_START_DAY, m);
    for (const currency of CURRENCIES) {
      if (currency.code !== 'USD') {
        walk.set(currency.code, walk.get(currency.code)! * (1 + (random.next() - 0.5) * 0.03));
      }
    }
    const at = instant(month, 6);
    for (const from of CURRENCIES) {
      for (const to of CURRENCIES) {
        if (from.code === to.code) {
          continue;
        }
        // units of `to` per 1 `from`
        const rate = rate6(decimal(walk.get(to.code)!.toFixed(8)).dividedBy(walk.get(from.code)!.toFixed(8)).toString());
        fx.set(from.code, to.code, month, rate);
        tables.fxRate.push({
          id: uuidV7(ids, at),
          created_at: at,
          updated_at: at,
          from_currency: from.code,
          to_currency: to.code,
          date: isoOf(month),
          rate,
        });
      }
    }
  }

  const rateCards = new Map<string, string>();
  const billRates = new Map<string, Map<string, number>>();
  for (const currency of CURRENCIES) {
    const cardId = uuidV7(ids, createdAt);
    rateCards.set(currency.code, cardId);
    tables.rateCard.push({
      id: cardId,
      created_at: createdAt,
      updated_at: createdAt,
      name: `Standard rates ${currency.code}`,
      currency: currency.code,
      effective_from: isoOf(addMonths(HISTORY_START_DAY, -2)),
      effective_to: null,
    });
    const rates = new Map<string, number>();
    for (const role of ROLES) {
      const billRate = convertRate(role.usdBillRate, currency.perUsd);
      rates.set(role.name, billRate);
      tables.rateCardLine.push({
        id: uuidV7(ids, createdAt),
        created_at: createdAt,
        updated_at: createdAt,
        rate_card_id: cardId,
        role: role.name,
        activity: null,
        bill_rate: rate6(billRate),
        currency: currency.code,
      });
    }
    billRates.set(currency.code, rates);
  }

  const resources: Resource[] = [];
  const resourcesByRole = new Map<string, Resource[]>(ROLES.map((role) => [role.name, []]));
  const days = REFERENCE_DAY - HISTORY_START_DAY + 1;
  for (let i = 0; i < resourceCount; i++) {
    // The first resources cover every role once, so even tiny scales can staff any team.
    const role = i < ROLES.length ? ROLES[i] : random.weighted(ROLES.map((candidate) => [candidate, candidate.weight] as const));
    const legalEntity =
      i < legalEntities.length
        ? legalEntities[i]
        : random.weighted([
            [legalEntities[0], 45],
            [legalEntities[1], 30],
            [legalEntities[2], 25],
          ] as const);
    const perUsd = CURRENCIES.find((currency) => currency.code === legalEntity.currency)!.perUsd;
    const hireDay = HISTORY_START_DAY - random.int(30, 1500);
    const at = instant(hireDay, 9);
    const person = personName(random);
    const capacity = random.chance(0.1) ? 32 : 40;
    const cents = Math.round(role.usdCostRate * perUsd * (0.9 + random.next() * 0.2) * 100);
    const resource: Resource = {
      id: uuidV7(ids, at),
      index: i,
      personId: `consultant-${String(i + 1).padStart(4, '0')}`,
      name: person.full,
      role: role.name,
      legalEntity,
      currency: legalEntity.currency,
      costRate: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
      capacityHoursPerWeek: capacity,
      utilizationTargetPct:
        role.name === 'Partner' ? '50.00' : role.name === 'Project Manager' ? '70.00' : random.pick(['75.00', '80.00', '85.00']),
      load: new Uint8Array(days),
      hireDay,
    };
    resources.push(resource);
    resourcesByRole.get(role.name)!.push(resource);
  }

  const managerCount = Math.max(3, Math.round(resourceCount / 12));
  return {
    legalEntities,
    legalEntityByRegion,
    currencies: CURRENCIES.map((currency) => currency.code),
    fx,
    rateCards,
    billRates,
    resources,
    resourcesByRole,
    managers: Array.from({ length: managerCount }, (_, i) => `manager-${String(i + 1).padStart(3, '0')}`),
    salesOwners: Array.from({ length: Math.max(3, Math.round(managerCount * 0.8)) }, (_, i) => `sales-${String(i + 1).padStart(3, '0')}`),
  };
}
