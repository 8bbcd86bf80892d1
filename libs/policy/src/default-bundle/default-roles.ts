import { CLASSIFICATIONS, type Classification, type PolicyRule, type RoleDefinition } from '../bundle';
import { DEFAULT_CLASSIFICATIONS } from './classifications';
import { DEFAULT_OWNERSHIP, entitiesOwnedBy } from './default-ownership';

/** Replaced by the caller's subject when the engine builds a caller's ability. */
const CALLER_SUB = '${caller.sub}';
const WRITES = ['create', 'update', 'delete', 'transition'];

/**
 * The entity a type speaks about: `UpdateQuoteLineInput` → `QuoteLine`, `ProjectFilter` → `Project`,
 * `InvoiceSortField` → `Invoice` (the same rule tools/policy-classify.mjs classifies input fields by).
 */
export function entityOfType(typeName: string): string {
  return typeName.replace(/^(Create|Update|Record)(?=[A-Z])/, '').replace(/(Filter|Order|Input|SortField)$/, '');
}

/** The coordinates of one class, grouped by type, for the types that speak about the given entities. */
function fieldsOfClass(classification: Classification, entities: readonly string[]): Map<string, string[]> {
  const wanted = new Set(entities);
  const fields = new Map<string, string[]>();
  for (const [coordinate, coordinateClass] of Object.entries(DEFAULT_CLASSIFICATIONS)) {
    const [typeName, field] = coordinate.split('.');
    if (coordinateClass === classification && wanted.has(entityOfType(typeName))) {
      fields.set(typeName, [...(fields.get(typeName) ?? []), field]);
    }
  }
  return fields;
}

/**
 * Read grants of one class on some entities only: one rule per type (object, input, filter, sort enum) listing
 * exactly its fields of that class, so a grant never reaches a field of a stricter class.
 */
function readsOf(classification: Classification, entities: readonly string[]): PolicyRule[] {
  return [...fieldsOfClass(classification, entities)]
    .sort(([left], [right]) => (left < right ? -1 : 1))
    .map(([subject, fields]) => ({ action: 'read', subject, fields }));
}

const crm = entitiesOwnedBy('crm');
const erp = entitiesOwnedBy('erp');
const psa = entitiesOwnedBy('psa');
const hasField = (entity: string, field: string) => Object.hasOwn(DEFAULT_CLASSIFICATIONS, `${entity}.${field}`);
const everything: Classification[] = [...CLASSIFICATIONS];
/** Reading SLOs with their SLA reports, and incidents with their timelines (governance's SLA monitoring). */
const readServiceLevels = (): PolicyRule => ({ action: 'read', subject: ['ServiceLevelObjective', 'Incident'] });
/** Reading workflow runs and the exception queue (governance's cross-system workflows). */
const readWorkflowRuns = (): PolicyRule => ({ action: 'read', subject: 'WorkflowRun' });

/** The default roles of ARCHITECTURE.md §4 (editable policy: governance publishes changes as new bundle versions). */
export function defaultRoles(): Record<string, RoleDefinition> {
  return {
    sales: {
      description: 'Account executives: clients, contacts, opportunities and quotes with their amounts; write the CRM records they own',
      classifications: ['PUBLIC', 'INTERNAL', 'PII'],
      rules: [
        // the weighted pipeline is the CRM's own figure (open opportunities' amounts), not an entity
        ...readsOf('FINANCIAL', [...crm, 'WeightedPipelineRow']),
        { action: WRITES, subject: crm.filter((entity) => hasField(entity, 'ownerId')), conditions: { ownerId: CALLER_SUB } },
        { action: WRITES, subject: crm.filter((entity) => !hasField(entity, 'ownerId')) },
      ],
    },
    delivery_manager: {
      description:
        'Project managers: projects, resources, time and expenses with their amounts; margin and cost only on the projects they manage; write PSA records',
      classifications: ['PUBLIC', 'INTERNAL', 'PII'],
      rules: [
        ...readsOf('FINANCIAL', psa),
        {
          action: 'read',
          subject: 'Project',
          fields: fieldsOfClass('MARGIN', ['Project']).get('Project'),
          conditions: { managerId: CALLER_SUB },
        },
        { action: WRITES, subject: 'Project', conditions: { managerId: CALLER_SUB } },
        // utilization periods are derived by a job, not written by people
        { action: WRITES, subject: psa.filter((entity) => entity !== 'Project' && entity !== 'UtilizationPeriod') },
      ],
    },
    consultant: {
      description: 'Consultants: their assignments, time and expenses (the subgraph keeps them to their own rows); no cost or margin',
      classifications: ['PUBLIC', 'INTERNAL'],
      rules: [
        ...readsOf('FINANCIAL', ['TimeEntry', 'Expense']),
        { action: ['create', 'update', 'transition'], subject: ['TimeEntry', 'Expense'] },
      ],
      // their own rows only: the resource whose personId is the caller
      scopes: {
        Assignment: { personId: CALLER_SUB },
        TimeEntry: { personId: CALLER_SUB },
        Expense: { personId: CALLER_SUB },
      },
    },
    finance: {
      description: 'Finance: every financial figure including cost and margin, no personal data; write ERP records',
      classifications: ['PUBLIC', 'INTERNAL', 'FINANCIAL', 'MARGIN'],
      // invoice runs and revenue recognitions are workflow runs finance starts and follows
      // (startInvoiceRun, startRevenueRecognition)
      rules: [{ action: WRITES, subject: erp }, { action: ['read', 'start'], subject: 'WorkflowRun' }],
    },
    executive: {
      description: 'Executives: read everything (SLOs, SLA reports and incidents included), write nothing',
      classifications: everything,
      rules: [{ action: 'read', subject: 'SubgraphSchemaVersion' }, readServiceLevels(), readWorkflowRuns()],
    },
    data_steward: {
      description:
        'Data stewards: everything but margin and cost; manage ownership rules and fix master data of clients, contacts and legal customers; work the workflow exception queue; read SLOs, SLA reports and incidents',
      classifications: ['PUBLIC', 'INTERNAL', 'FINANCIAL', 'PII'],
      rules: [
        { action: 'manage', subject: 'OwnershipRule' },
        { action: 'update', subject: ['Client', 'Contact', 'LegalCustomer'] },
        // schema changes that failed their check (never their own: the registry refuses self-approval)
        { action: ['read', 'approve'], subject: 'SubgraphSchemaVersion' },
        readServiceLevels(),
        // the exception queue: inspect, fix the payload and replay, or dismiss with a reason
        { action: ['read', 'replay', 'dismiss'], subject: 'WorkflowRun' },
      ],
    },
    auditor: {
      description: 'Auditors: read everything including the audit ledger, SLOs, SLA reports and incidents, write nothing',
      classifications: everything,
      rules: [{ action: 'read', subject: ['AuditEvent', 'SubgraphSchemaVersion'] }, readServiceLevels(), readWorkflowRuns()],
    },
    operator: {
      description: 'Operators (SRE): manage SLOs, read SLA reports, handle incidents (notes); no business data beyond internal',
      classifications: ['PUBLIC', 'INTERNAL'],
      rules: [
        { action: 'manage', subject: 'ServiceLevelObjective' },
        { action: ['read', 'update'], subject: 'Incident' },
        { action: 'read', subject: 'SubgraphSchemaVersion' },
        readWorkflowRuns(),
      ],
    },
    integration: {
      description: 'Service account of the cross-system workflows: every class, every action on every entity',
      classifications: everything,
      rules: [{ action: 'manage', subject: Object.keys(DEFAULT_OWNERSHIP) }],
    },
    system: {
      description: "The gateway's own requests (schema and health fetches): no data",
      classifications: [],
      rules: [],
    },
  };
}
