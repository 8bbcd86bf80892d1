/**
 * The ledger search box: `actor:ann action:update entity:Client field:margin system:crm role:finance outcome:denied
 * "free text"`. Qualifiers map to AuditEventFilter fields; anything else is free text. Values may be quoted
 * (`actor:"Ann Smith"`); a qualifier given twice keeps the last one and says so.
 */
export const QUALIFIERS = {
  actor: 'actorSub',
  action: 'action',
  entity: 'entity',
  id: 'entityId',
  field: 'field',
  system: 'service',
  role: 'role',
  outcome: 'outcome',
  correlation: 'correlationId',
} as const;
export type Qualifier = keyof typeof QUALIFIERS;
export type FilterField = (typeof QUALIFIERS)[Qualifier] | 'text';

export interface ParsedQuery {
  filter: Partial<Record<FilterField, string>>;
  /** each condition as a chip: the qualifier (or `text`) and its value */
  chips: { key: Qualifier | 'text'; value: string }[];
  problems: string[];
}

const OUTCOMES = ['allowed', 'denied'];
// a token: key:"quoted value", key:value, "quoted text" or a bare word
const TOKEN = /([A-Za-z]+):"([^"]*)"?|([A-Za-z]+):(\S*)|"([^"]*)"?|(\S+)/g;

const isQualifier = (key: string): key is Qualifier => Object.prototype.hasOwnProperty.call(QUALIFIERS, key);

export function parseAuditQuery(input: string): ParsedQuery {
  const values = new Map<Qualifier, string>();
  const words: string[] = [];
  const problems: string[] = [];
  for (const match of input.matchAll(TOKEN)) {
    const key = (match[1] ?? match[3])?.toLowerCase();
    const value = match[2] ?? match[4];
    if (key !== undefined && value !== undefined) {
      if (!isQualifier(key)) {
        // `Client.margin` is no qualifier: `foo:bar` with an unknown key stays text, but say so
        problems.push(`unknown qualifier "${key}:" (searched as text)`);
        words.push(match[0].replace(/"/g, ''));
        continue;
      }
      if (value.trim() === '') {
        problems.push(`${key}: needs a value`);
        continue;
      }
      if (values.has(key)) {
        problems.push(`${key}: given twice, the last one is used`);
      }
      values.set(key, value.trim());
      continue;
    }
    const word = match[5] ?? match[6];
    if (word !== undefined && word.trim() !== '') {
      words.push(word.trim());
    }
  }
  const outcome = values.get('outcome');
  if (outcome !== undefined && !OUTCOMES.includes(outcome.toLowerCase())) {
    problems.push('outcome: must be allowed or denied');
    values.delete('outcome');
  } else if (outcome !== undefined) {
    values.set('outcome', outcome.toLowerCase());
  }
  const filter: ParsedQuery['filter'] = {};
  const chips: ParsedQuery['chips'] = [];
  for (const [key, value] of values) {
    filter[QUALIFIERS[key]] = value;
    chips.push({ key, value });
  }
  const text = words.join(' ');
  if (text) {
    filter.text = text;
    chips.push({ key: 'text', value: text });
  }
  return { filter, chips, problems };
}

/** The query text back from chips (removing a chip rewrites the box). */
export function formatAuditQuery(chips: ParsedQuery['chips']): string {
  const quote = (value: string) => (/\s|"/.test(value) ? `"${value.replace(/"/g, '')}"` : value);
  return chips.map((chip) => (chip.key === 'text' ? quote(chip.value) : `${chip.key}:${quote(chip.value)}`)).join(' ');
}
