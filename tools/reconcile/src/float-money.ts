import type { ClientBase } from 'pg';
import { Kind, parse, type FieldDefinitionNode, type InputValueDefinitionNode, type TypeNode } from 'graphql';
import type { CheckResult } from './report';

/** The Postgres schemas whose tables may hold money. */
export const MONEY_SCHEMAS = ['crm', 'erp', 'psa', 'governance'] as const;

/** Words that make a column or field name look like money (matched per word of snake_case or camelCase). */
const MONEY_WORDS = new Set([
  'amount',
  'rate',
  'total',
  'subtotal',
  'cost',
  'price',
  'revenue',
  'margin',
  'balance',
  'value',
  'fee',
  'budget',
  'tax',
  'arr',
  'due',
  'paid',
  'billed',
  'unbilled',
  'consumed',
  'credit',
  'debit',
  'recognized',
  'deferred',
  'money',
  'cash',
]);

/**
 * Floating-point columns and fields that look like money but are not, each with why. Add here only a ratio or a
 * count, never an amount.
 */
export const NOT_MONEY: Readonly<Record<string, string>> = {
  'governance.sla_incident.burn_rate': 'SLO error-budget burn multiple (14.4×), a ratio',
  'governance.sla_incident.peak_burn_rate': 'SLO error-budget burn multiple, a ratio',
  'governance.sla_incident_event.burn_rate': 'SLO error-budget burn multiple at the event, a ratio',
  'Incident.burnRate': 'SLO error-budget burn multiple, a ratio',
  'Incident.peakBurnRate': 'SLO error-budget burn multiple, a ratio',
  'IncidentEvent.burnRate': 'SLO error-budget burn multiple at the event, a ratio',
  'SlaDay.total': 'number of operations in the day, a count',
  'SloBurnPair.longBurnRate': 'SLO error-budget burn multiple over the long window, a ratio',
  'SloBurnPair.shortBurnRate': 'SLO error-budget burn multiple over the short window, a ratio',
  'SloStatus.currentBurnRate': 'SLO error-budget burn multiple over the last hour, a ratio',
  'SloStatus.budgetRemaining': 'share of the SLO error budget left (1 = untouched), a ratio',
};

/** "peak_burn_rate" / "peakBurnRate" → ["peak", "burn", "rate"]. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function looksLikeMoney(name: string): boolean {
  return wordsOf(name).some((word) => MONEY_WORDS.has(word));
}

/** `real` / `double precision` columns with a money-like name in the money schemas (information_schema.columns). */
export async function floatMoneyColumns(client: ClientBase): Promise<CheckResult> {
  const { rows } = await client.query<{ coordinate: string; column: string; type: string }>(
    `SELECT table_schema || '.' || table_name || '.' || column_name AS coordinate, column_name AS column, data_type AS type
       FROM information_schema.columns
      WHERE table_schema = ANY($1) AND data_type IN ('real', 'double precision')
      ORDER BY 1`,
    [[...MONEY_SCHEMAS]],
  );
  const offending = rows.filter((row) => looksLikeMoney(row.column) && !(row.coordinate in NOT_MONEY));
  return {
    name: `no real / double precision money column in the ${MONEY_SCHEMAS.join(', ')} schemas`,
    count: offending.length,
    examples: offending.slice(0, 5).map((row) => `${row.coordinate} is ${row.type}`),
  };
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** `Type.field` (and `Type.field(argument)`) coordinates of an SDL typed Float whose name looks like money. */
export function floatMoneyFields(sdl: string): string[] {
  const found: string[] = [];
  const visit = (owner: string, fields: readonly (FieldDefinitionNode | InputValueDefinitionNode)[] | undefined) => {
    for (const field of fields ?? []) {
      const coordinate = `${owner}.${field.name.value}`;
      if (namedType(field.type) === 'Float' && looksLikeMoney(field.name.value) && !(coordinate in NOT_MONEY)) {
        found.push(coordinate);
      }
      if (field.kind === Kind.FIELD_DEFINITION) {
        visit(`${coordinate}`, field.arguments);
      }
    }
  };
  for (const definition of parse(sdl).definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        visit(definition.name.value, definition.fields);
        break;
      default:
        break;
    }
  }
  return found;
}

/** Float money fields in each subgraph's committed schema.graphql (name → SDL). */
export function floatMoneyInSchemas(schemas: Readonly<Record<string, string>>): CheckResult {
  const found = Object.entries(schemas).flatMap(([subgraph, sdl]) =>
    floatMoneyFields(sdl).map((coordinate) => `${subgraph}: ${coordinate} is Float`),
  );
  return {
    name: `no Float money field in the schemas of ${Object.keys(schemas).join(', ')}`,
    count: found.length,
    examples: found.slice(0, 5),
  };
}
