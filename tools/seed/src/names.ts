import type { Random } from './random';

/** Word lists for readable, obviously fictional names (domains use the reserved `.example` TLD). */
const COMPANY_FIRST = [
  'Northwind',
  'Bluefin',
  'Cedar',
  'Granite',
  'Harbor',
  'Juniper',
  'Kestrel',
  'Lumen',
  'Meridian',
  'Nimbus',
  'Oakridge',
  'Pinnacle',
  'Quarry',
  'Redwood',
  'Summit',
  'Tidewater',
  'Umber',
  'Vantage',
  'Willow',
  'Zenith',
  'Aurora',
  'Beacon',
  'Cobalt',
  'Delta',
  'Ember',
  'Falcon',
  'Glacier',
  'Helix',
  'Ironwood',
  'Jasper',
  'Keystone',
  'Lighthouse',
  'Maple',
  'Northstar',
  'Orchid',
  'Polaris',
  'Quantum',
  'Riverstone',
  'Sequoia',
  'Tandem',
];
const COMPANY_SECOND = [
  'Logistics',
  'Health',
  'Energy',
  'Retail',
  'Bank',
  'Insurance',
  'Foods',
  'Pharma',
  'Telecom',
  'Media',
  'Manufacturing',
  'Mobility',
  'Capital',
  'Labs',
  'Systems',
  'Materials',
  'Hospitality',
  'Aerospace',
  'Utilities',
  'Analytics',
];
export const INDUSTRIES: Record<string, string> = {
  Logistics: 'Transportation',
  Health: 'Healthcare',
  Energy: 'Energy',
  Retail: 'Retail',
  Bank: 'Financial Services',
  Insurance: 'Insurance',
  Foods: 'Consumer Goods',
  Pharma: 'Life Sciences',
  Telecom: 'Telecommunications',
  Media: 'Media',
  Manufacturing: 'Manufacturing',
  Mobility: 'Automotive',
  Capital: 'Financial Services',
  Labs: 'Technology',
  Systems: 'Technology',
  Materials: 'Chemicals',
  Hospitality: 'Hospitality',
  Aerospace: 'Aerospace',
  Utilities: 'Utilities',
  Analytics: 'Technology',
};
const FIRST_NAMES = [
  'Ava',
  'Ben',
  'Chloe',
  'Daniel',
  'Elena',
  'Felix',
  'Grace',
  'Henry',
  'Isla',
  'Jonas',
  'Keira',
  'Liam',
  'Maya',
  'Noah',
  'Olivia',
  'Paul',
  'Quinn',
  'Rosa',
  'Samuel',
  'Tara',
  'Umar',
  'Vera',
  'William',
  'Xenia',
  'Yusuf',
  'Zoe',
  'Amara',
  'Bruno',
  'Clara',
  'David',
  'Emma',
  'Farid',
  'Greta',
  'Hugo',
  'Ines',
  'Jakob',
  'Lena',
  'Marco',
  'Nora',
  'Oscar',
  'Priya',
  'Rafael',
];
const LAST_NAMES = [
  'Anders',
  'Baker',
  'Carter',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ito',
  'Jensen',
  'Keller',
  'Lopez',
  'Meyer',
  'Nakamura',
  'Okafor',
  'Patel',
  'Quinlan',
  'Rossi',
  'Schmidt',
  'Taylor',
  'Ueda',
  'Vogel',
  'Wagner',
  'Xu',
  'Young',
  'Zimmer',
  'Bauer',
  'Costa',
  'Dalton',
  'Ellis',
  'Ferreira',
  'Gray',
  'Hoffmann',
  'Iversen',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Novak',
];
export const CONTACT_TITLES = [
  'CFO',
  'CIO',
  'CTO',
  'COO',
  'VP Operations',
  'Head of Procurement',
  'IT Director',
  'Program Manager',
  'Finance Director',
];

export interface CompanyName {
  name: string;
  domain: string;
  industry: string;
}

/** A unique company name and domain (`taken` remembers the domains used so far). */
export function companyName(random: Random, taken: Set<string>): CompanyName {
  const first = random.pick(COMPANY_FIRST);
  const second = random.pick(COMPANY_SECOND);
  let name = `${first} ${second}`;
  let slug = `${first}-${second}`.toLowerCase();
  for (let n = 2; taken.has(slug); n++) {
    slug = `${first}-${second}-${n}`.toLowerCase();
    name = `${first} ${second} ${n}`;
  }
  taken.add(slug);
  return { name, domain: `${slug}.example`, industry: INDUSTRIES[second] };
}

export function personName(random: Random): { first: string; last: string; full: string } {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  return { first, last, full: `${first} ${last}` };
}

/** first.last@domain, lower case ASCII (the contact e-mail CHECK). */
export function email(first: string, last: string, domain: string, n = 0): string {
  return `${first}.${last}${n ? n : ''}@${domain}`.toLowerCase();
}
