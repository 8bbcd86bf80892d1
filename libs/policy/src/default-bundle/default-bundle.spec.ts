import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { extendSchema, isObjectType, parse, Source, type GraphQLSchema } from 'graphql';
import { CLASSIFICATIONS, parsePolicyBundle, type PolicyBundle, type PolicyRule } from '../bundle';
import { schemaCoordinates, unclassifiedCoordinates } from '../schema-coordinates';
import { defaultPolicyBundle } from './default-bundle';

const ROOT = join(__dirname, '../../../..');

/** The committed schema of each subgraph of the supergraph: the three business subgraphs and governance. */
const SUBGRAPH_SCHEMAS: [string, string][] = [
  ['crm', 'subgraphs/crm/schema.graphql'],
  ['erp', 'subgraphs/erp/schema.graphql'],
  ['psa', 'subgraphs/psa/schema.graphql'],
  ['governance', 'governance/schema.graphql'],
];

/** The API schema clients see: the committed subgraph schemas composed, federation machinery removed. */
function composedApiSchema(): GraphQLSchema {
  const services = SUBGRAPH_SCHEMAS.map(([name, file]) => {
    const path = join(ROOT, file);
    return { name, url: `http://${name}`, typeDefs: parse(new Source(readFileSync(path, 'utf8'), path)) };
  });
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(result.errors.map((error) => error.message).join('\n'));
  }
  return result.schema.toAPISchema().toGraphQLJSSchema();
}

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);
const rulesOf = (bundle: PolicyBundle, role: string): PolicyRule[] => bundle.roles[role].rules;
/** The coordinates a role's read rules name (`subject.field`), with the rule's conditions. */
function readGrants(bundle: PolicyBundle, role: string): { coordinate: string; conditions?: Record<string, unknown> }[] {
  return rulesOf(bundle, role)
    .filter((rule) => list(rule.action).some((action) => action === 'read' || action === 'manage'))
    .flatMap((rule) =>
      list(rule.subject).flatMap((subject) =>
        (rule.fields ?? ['*']).map((field) => ({ coordinate: `${subject}.${field}`, conditions: rule.conditions })),
      ),
    );
}

describe('defaultPolicyBundle', () => {
  const schema = composedApiSchema();
  const sut = defaultPolicyBundle({ createdAt: '2025-01-01T00:00:00.000Z' });
  const marginCoordinates = new Set(Object.keys(sut.classifications).filter((coordinate) => sut.classifications[coordinate] === 'MARGIN'));
  const marginTypes = new Set([...marginCoordinates].map((coordinate) => `${coordinate.split('.')[0]}.*`));
  /** a grant that reaches a margin coordinate: named, or its whole type */
  const reachesMargin = ({ coordinate }: { coordinate: string }) => marginCoordinates.has(coordinate) || marginTypes.has(coordinate);

  it('should be a valid version 1 bundle', () => {
    expect(parsePolicyBundle(JSON.parse(JSON.stringify(sut)))).toEqual(sut);
    expect(sut.version).toBe(1);
    expect(Object.keys(sut.roles).sort()).toEqual(
      [
        'auditor',
        'consultant',
        'data_steward',
        'delivery_manager',
        'executive',
        'finance',
        'integration',
        'operator',
        'sales',
        'system',
      ].sort(),
    );
  });

  it('should classify every coordinate of the composed API schema (run tools/policy-classify.mjs --write when this fails)', () => {
    expect(unclassifiedCoordinates(sut, schema)).toEqual([]);
  });

  it('should classify nothing the schema does not have', () => {
    const coordinates = new Set(schemaCoordinates(schema));

    expect(Object.keys(sut.classifications).filter((coordinate) => !coordinates.has(coordinate))).toEqual([]);
  });

  it('should keep money plumbing public and classify the field that returns the money', () => {
    expect(sut.classifications).toMatchObject({
      'Money.amount': 'PUBLIC',
      'Money.currency': 'PUBLIC',
      'PageInfo.endCursor': 'PUBLIC',
      'Project.id': 'PUBLIC',
      'Project.margin': 'MARGIN',
      'Project.marginPct': 'MARGIN',
      'Project.costToDate': 'MARGIN',
      'TimeEntry.costAmount': 'MARGIN',
      'UpdateResourceInput.costRate': 'MARGIN',
      'Invoice.total': 'FINANCIAL',
      'Assignment.billRate': 'FINANCIAL',
      'OpportunitySortField.AMOUNT': 'FINANCIAL',
      'Contact.email': 'PII',
      'ContactFilter.email': 'PII',
      'ResourceSortField.NAME': 'PII',
      'Project.name': 'INTERNAL',
    });
  });

  it("should classify the ledger's snapshots as the strictest class, its actors as personal data, the rest as internal", () => {
    expect(sut.classifications).toMatchObject({
      'AuditEvent.before': 'MARGIN',
      'AuditEvent.after': 'MARGIN',
      'AuditEvent.actor': 'PII',
      'AuditActor.sub': 'PII',
      'AuditEventFilter.actorSub': 'PII',
      'AuditEvent.entity': 'INTERNAL',
      'AuditEvent.hash': 'INTERNAL',
      'Query.auditEvents': 'INTERNAL',
      'OwnershipRule.owner': 'INTERNAL',
      'OwnershipChange.requestedBy': 'INTERNAL',
      'PolicyVersion.sha256': 'INTERNAL',
      'Mutation.approveOwnershipChange': 'INTERNAL',
      'AuditEventConnection.edges': 'PUBLIC',
    });
  });

  it('should let auditors read the whole ledger and data stewards their API, through the field classes', () => {
    const readable = (role: string, coordinate: string) => sut.roles[role].classifications.includes(sut.classifications[coordinate]);

    expect(['AuditEvent.before', 'AuditEvent.actor', 'AuditEvent.hash'].filter((coordinate) => !readable('auditor', coordinate))).toEqual(
      [],
    );
    expect(
      Object.keys(sut.classifications)
        .filter((coordinate) => /^(OwnershipRule|OwnershipFieldRule|OwnershipChange|PolicyVersion)\./.test(coordinate))
        .filter((coordinate) => !readable('data_steward', coordinate)),
    ).toEqual([]);
  });

  it('should own every entity type of the schema, and name only fields the type has', () => {
    const problems = Object.entries(sut.ownership).flatMap(([entity, rule]) => {
      const type = schema.getType(entity);
      if (!isObjectType(type)) {
        return [`${entity} is not an object type of the schema`];
      }
      return Object.keys(rule.fields ?? {})
        .filter((field) => !(field in type.getFields()))
        .map((field) => `${entity}.${field} is not a field`);
    });

    expect(problems).toEqual([]);
    expect(Object.keys(sut.ownership)).toHaveLength(35);
  });

  it('should record ERP facts stored in PSA as ERP-owned and require approval for contracts, invoices, payments, revenue', () => {
    expect(sut.ownership.TimeEntry).toEqual({
      owner: 'psa',
      fields: { invoiceId: 'erp', invoiceLineId: 'erp' },
      stored: ['invoiceId', 'invoiceLineId'],
    });
    expect(sut.ownership.Expense.fields?.invoiceLineId).toBe('erp');
    expect(sut.ownership.Assignment).toEqual({ owner: 'psa' });
    expect(sut.ownership.Opportunity).toEqual({ owner: 'crm' });
    expect(
      Object.entries(sut.ownership)
        .filter(([, rule]) => rule.approvalRequired)
        .map(([entity]) => entity)
        .sort(),
    ).toEqual(['Contract', 'CreditNote', 'Invoice', 'Payment', 'RevenueEntry', 'WriteOff']);
  });

  it('should name only subjects and fields the schema has in its rules', () => {
    // OwnershipRule and AuditEvent included: governance's subgraph has them
    const problems = Object.entries(sut.roles).flatMap(([role, definition]) =>
      definition.rules.flatMap((rule) =>
        list(rule.subject).flatMap((subject) => {
          if (!schema.getType(subject)) {
            return [`${role}: unknown subject ${subject}`];
          }
          return (rule.fields ?? [])
            .filter((field) => !(`${subject}.${field}` in sut.classifications))
            .map((field) => `${role}: unknown ${subject}.${field}`);
        }),
      ),
    );

    expect(problems).toEqual([]);
  });

  it.each(['finance', 'executive', 'auditor', 'integration'])('should let %s read margin everywhere', (role) => {
    expect(sut.roles[role].classifications).toContain('MARGIN');
  });

  it.each(['sales', 'consultant', 'data_steward', 'operator', 'system'])('should not let %s read margin of any row', (role) => {
    expect(sut.roles[role].classifications).not.toContain('MARGIN');
    expect(readGrants(sut, role).filter(reachesMargin)).toEqual([]);
  });

  it('should let a delivery manager read margin only of the projects they manage', () => {
    expect(sut.roles.delivery_manager.classifications).not.toContain('MARGIN');
    expect(readGrants(sut, 'delivery_manager').filter(reachesMargin)).toEqual([
      { coordinate: 'Project.costToDate', conditions: { managerId: '${caller.sub}' } },
      { coordinate: 'Project.earnedValue', conditions: { managerId: '${caller.sub}' } },
      { coordinate: 'Project.margin', conditions: { managerId: '${caller.sub}' } },
      { coordinate: 'Project.marginPct', conditions: { managerId: '${caller.sub}' } },
    ]);
  });

  it('should grant class-limited reads: a read rule never names a coordinate of a stricter class than FINANCIAL', () => {
    const grants = ['sales', 'delivery_manager', 'consultant'].flatMap((role) =>
      readGrants(sut, role).filter(({ conditions }) => !conditions),
    );

    expect(grants.filter(({ coordinate }) => sut.classifications[coordinate] !== 'FINANCIAL')).toEqual([]);
    expect(grants.map(({ coordinate }) => coordinate)).toEqual(
      expect.arrayContaining(['Opportunity.amount', 'CreateOpportunityInput.amount', 'Expense.amount']),
    );
  });

  it('should let sales write only the CRM records they own where the record has an owner', () => {
    expect(rulesOf(sut, 'sales').filter((rule) => rule.action !== 'read')).toEqual([
      {
        action: ['create', 'update', 'delete', 'transition'],
        subject: ['Client', 'Opportunity'],
        conditions: { ownerId: '${caller.sub}' },
      },
      { action: ['create', 'update', 'delete', 'transition'], subject: ['Contact', 'Quote', 'QuoteLine'] },
    ]);
  });

  it('should give executives and auditors no write, and the system role nothing at all', () => {
    const readServiceLevels = { action: 'read', subject: ['ServiceLevelObjective', 'Incident'] };
    const readWorkflowRuns = { action: 'read', subject: 'WorkflowRun' };

    expect(rulesOf(sut, 'executive')).toEqual([{ action: 'read', subject: 'SubgraphSchemaVersion' }, readServiceLevels, readWorkflowRuns]);
    expect(rulesOf(sut, 'auditor')).toEqual([
      { action: 'read', subject: ['AuditEvent', 'SubgraphSchemaVersion'] },
      readServiceLevels,
      readWorkflowRuns,
    ]);
    expect(sut.roles.system).toMatchObject({ classifications: [], rules: [] });
    expect(sut.roles.integration.classifications).toEqual([...CLASSIFICATIONS]);
  });

  it('should let only finance start invoice runs (integration aside, which manages every entity)', () => {
    const starters = Object.keys(sut.roles)
      .filter((role) =>
        rulesOf(sut, role).some(
          (rule) => list(rule.subject).includes('WorkflowRun') && list(rule.action).some((action) => action === 'start' || action === 'manage'),
        ),
      )
      .sort();

    expect(starters).toEqual(['finance']);
  });

  it('should let only data stewards replay or dismiss workflow runs', () => {
    const deciders = Object.keys(sut.roles)
      .filter((role) =>
        rulesOf(sut, role).some((rule) => list(rule.subject).includes('WorkflowRun') && list(rule.action).includes('replay')),
      )
      .sort();

    expect(deciders).toEqual(['data_steward']);
  });

  it('should let operators manage SLOs and handle incidents with internal data only, and no one else change them', () => {
    const writers = (subject: string) =>
      Object.keys(sut.roles)
        .filter((role) =>
          rulesOf(sut, role).some((rule) => list(rule.subject).includes(subject) && list(rule.action).some((action) => action !== 'read')),
        )
        .sort();

    expect(sut.roles.operator.classifications).toEqual(['PUBLIC', 'INTERNAL']);
    expect(rulesOf(sut, 'operator')).toEqual([
      { action: 'manage', subject: 'ServiceLevelObjective' },
      { action: ['read', 'update'], subject: 'Incident' },
      { action: 'read', subject: 'SubgraphSchemaVersion' },
      { action: 'read', subject: 'WorkflowRun' },
    ]);
    expect(writers('ServiceLevelObjective')).toEqual(['operator']);
    expect(writers('Incident')).toEqual(['operator']);
  });

  it('should classify SLOs, SLA reports and incidents as internal, so operators read them through the gateway', () => {
    const slaCoordinates = Object.keys(sut.classifications).filter((coordinate) =>
      /^(ServiceLevelObjective|SlaReport|SlaDay|SloBudget|Incident|IncidentEvent|SlaTargetKind|SloIndicator|IncidentStatus|IncidentSeverity|IncidentEventKind)\./.test(
        coordinate,
      ),
    );

    expect(slaCoordinates.length).toBeGreaterThan(50);
    expect(slaCoordinates.filter((coordinate) => !['PUBLIC', 'INTERNAL'].includes(sut.classifications[coordinate]))).toEqual([]);
    expect(sut.classifications['SlaDay.total']).toBe('INTERNAL');
  });

  it('should return a fresh copy on each call', () => {
    const first = defaultPolicyBundle();
    first.ownership.Client.owner = 'erp';
    first.classifications['Project.margin'] = 'PUBLIC';

    expect(defaultPolicyBundle().ownership.Client.owner).toBe('crm');
    expect(defaultPolicyBundle().classifications['Project.margin']).toBe('MARGIN');
  });
});

describe('unclassifiedCoordinates', () => {
  it('should name a field, an input field and an enum value added without a classification', () => {
    const bundle = defaultPolicyBundle();
    const extended = extendSchema(
      composedApiSchema(),
      parse(
        `extend type Project { secretScore: Int }  extend input ProjectFilter { secretScoreAbove: Int }  extend enum ProjectSortField { SECRET_SCORE }`,
      ),
    );

    expect(unclassifiedCoordinates(bundle, extended)).toEqual([
      'Project.secretScore',
      'ProjectFilter.secretScoreAbove',
      'ProjectSortField.SECRET_SCORE',
    ]);
  });
});
