import { ErrorCode, type UsageReport } from '@concord/common';
import { callGovernance, useGovernance } from '../../__tests__/use-governance';
import { RegistryExceptionCode } from '../registry.exception';
import { RegistryService } from '../registry.service';
import { DatabaseSchemaUsage } from '../client-usage';

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external"])';

const PSA_V1 = `${FEDERATION}
  type Query { tasks: [Task!]! }
  type Task @key(fields: "id") { id: ID! name: String! weight: Int }`;

const DAY = 86_400_000;
const HASH_A = 'a1'.repeat(32);
const HASH_B = 'b2'.repeat(32);

const call = callGovernance;

function report(overrides: Partial<UsageReport> = {}, at = new Date()): UsageReport {
  return {
    clientName: 'web',
    clientVersion: '2.1.0',
    operationHash: HASH_A,
    operationName: 'ProjectMargins',
    coordinates: ['Query.projects', 'Project.margin'],
    count: 1,
    firstSeen: new Date(at.getTime() - 5_000).toISOString(),
    lastSeen: at.toISOString(),
    ...overrides,
  };
}

/** A report of an operation on psa's tasks. */
function usedBy(overrides: Partial<UsageReport> = {}, at = new Date()): UsageReport {
  return report({ coordinates: ['Query.tasks', 'Task.weight'], operationName: 'TaskWeights', ...overrides }, at);
}

describe('client usage (POST/GET /registry/usage, usage-aware checks)', () => {
  const service = useGovernance();
  const sut = () => service.app.get(RegistryService);
  const rows = (): Promise<{ coordinate: string; client_version: string; count: string; last_seen: Date; day: string }[]> =>
    service.dataSource.query(
      `SELECT coordinate, client_version, count::text AS count, last_seen, day::text AS day FROM governance.client_usage
       ORDER BY coordinate, day, client_name, client_version, operation_hash`,
    );

  afterEach(() => service.dataSource.query('DELETE FROM governance.client_usage'));

  it('should store a report per coordinate and day and sum the counts of repeated reports, keeping the latest last seen', async () => {
    const first = new Date('2026-03-02T10:00:00.000Z');
    const later = new Date('2026-03-02T18:30:00.000Z');
    const nextDay = new Date('2026-03-03T08:00:00.000Z');

    const one = await call(service, 'POST', '/registry/usage', {
      reports: [report({ count: 4 }, later), report({ count: 1, coordinates: ['Project.margin', 'Project.margin'] }, first)],
    });
    const two = await call(service, 'POST', '/registry/usage', { reports: [report({ count: 10 }, first), report({ count: 2 }, nextDay)] });

    expect(one).toEqual({ status: 200, body: { accepted: 2 } });
    expect(two).toEqual({ status: 200, body: { accepted: 2 } });
    expect((await rows()).map((row) => [row.coordinate, row.day, row.count, row.last_seen.toISOString()])).toEqual([
      ['Project.margin', '2026-03-02', '15', later.toISOString()],
      ['Project.margin', '2026-03-03', '2', nextDay.toISOString()],
      ['Query.projects', '2026-03-02', '14', later.toISOString()],
      ['Query.projects', '2026-03-03', '2', nextDay.toISOString()],
    ]);
  });

  it('should take a full batch (in several statements) at once', async () => {
    const coordinates = Array.from({ length: 12 }, (_, index) => `Project.field${index}`);
    const reports = Array.from({ length: 5000 }, (_, index) =>
      report({ clientVersion: `1.${index % 300}.0`, operationHash: `h${index}`, coordinates }),
    );

    const answer = await sut().reportUsage({ reports });

    expect(answer).toEqual({ accepted: 5000 });
    const [{ count }]: { count: number }[] = await service.dataSource.query('SELECT count(*)::int AS count FROM governance.client_usage');
    expect(count).toBe(60_000);
  });

  it('should refuse invalid reports with 400 BAD_USER_INPUT listing every problem, and store nothing', async () => {
    const invalid = await call(service, 'POST', '/registry/usage', {
      reports: [
        report(),
        { ...report(), clientName: ' ', count: 0, coordinates: ['Project', 'Project.margin.x.y'], lastSeen: 'yesterday' },
        { ...report(), operationName: 7, firstSeen: '2026-03-02T10:00:00Z', lastSeen: '2026-03-01T10:00:00Z' },
        null,
      ],
    });
    const tooMany = sut().reportUsage({ reports: Array.from({ length: 5001 }, () => report()) });
    const missing = await call(service, 'POST', '/registry/usage', { report: [] });

    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, reason: RegistryExceptionCode.INVALID_INPUT });
    expect(invalid.body.error.problems).toEqual([
      'reports[1].clientName is a non-empty string of at most 256 characters',
      'reports[1].coordinates is an array of at most 5000 schema coordinates ("Type.field" or "Type.field.argument")',
      'reports[1].count is a positive integer',
      'reports[1].lastSeen is an ISO 8601 date-time',
      'reports[2].operationName is null or a string of at most 256 characters',
      'reports[2].firstSeen is not after lastSeen',
      'reports[3] is an object',
    ]);
    await expect(tooMany).rejects.toMatchObject({
      code: RegistryExceptionCode.INVALID_INPUT,
      details: { problems: [expect.stringMatching(/^reports holds at most 5000 reports/)] },
    });
    expect(missing.status).toBe(400);
    expect(await rows()).toEqual([]);
  });

  describe('usage-aware checks', () => {
    const now = new Date('2026-06-10T12:00:00.000Z');
    const clock = { now: () => now };
    const retyped = PSA_V1.replace('weight: Int', 'weight: String');

    beforeAll(async () => {
      await sut().publish({ subgraph: 'psa', sdl: PSA_V1, author: 'ci-psa' }, clock);
    });

    it('should pass a breaking change nobody used within the window, reporting it as breaking but unused', async () => {
      await sut().reportUsage({ reports: [usedBy({ count: 9 }, new Date(now.getTime() - 8 * DAY))] });

      const result = await sut().check({ subgraph: 'psa', sdl: retyped }, clock);

      expect(result.ok).toBe(true);
      expect(result.changes).toEqual([
        expect.objectContaining({ criticality: 'BREAKING', type: 'FIELD_TYPE_CHANGED', path: 'Task.weight', clients: [], used: false }),
      ]);
      expect(result.reasons).toEqual([]);
    });

    it('should fail a breaking change a client used, listing the clients, versions and operations', async () => {
      await sut().reportUsage({
        reports: [
          usedBy({ count: 3 }, new Date(now.getTime() - DAY)),
          usedBy({ clientVersion: '2.2.0', operationHash: HASH_B, operationName: null }, new Date(now.getTime() - 2 * DAY)),
          usedBy({ clientName: 'mobile', clientVersion: '7', coordinates: ['Task.name'] }, new Date(now.getTime() - DAY)),
        ],
      });

      const checked = await sut().check({ subgraph: 'psa', sdl: retyped }, clock);
      const published = sut().publish({ subgraph: 'psa', sdl: retyped, author: 'ci-psa' }, clock);

      expect(checked.ok).toBe(false);
      expect(checked.changes[0]).toMatchObject({
        path: 'Task.weight',
        used: true,
        clients: [`web@2.1.0 (operations: TaskWeights ${HASH_A.slice(0, 12)})`, `web@2.2.0 (operations: anonymous ${HASH_B.slice(0, 12)})`],
      });
      expect(checked.reasons).toEqual([
        expect.stringMatching(
          /^breaking change FIELD_TYPE_CHANGED at Task\.weight: .* \(used by web@2\.1\.0 \(operations: TaskWeights a1a1a1a1a1a1\), web@2\.2\.0 \(operations: anonymous b2b2b2b2b2b2\)\)$/,
        ),
      ]);
      await expect(published).rejects.toMatchObject({ code: RegistryExceptionCode.CHECK_FAILED });
    });

    it('should ignore excluded clients, by name or by name@version', async () => {
      await sut().reportUsage({
        reports: [
          usedBy({}, new Date(now.getTime() - DAY)),
          usedBy({ clientVersion: '2.2.0', operationHash: HASH_B }, new Date(now.getTime() - DAY)),
        ],
      });

      const byName = await sut().check({ subgraph: 'psa', sdl: retyped }, { ...clock, excludedClients: ['web'] });
      const byVersion = await sut().check({ subgraph: 'psa', sdl: retyped }, { ...clock, excludedClients: ['web@2.1.0'] });
      const published = await sut().publish({ subgraph: 'psa', sdl: retyped, author: 'ci-psa' }, { ...clock, excludedClients: ['web'] });

      expect(byName).toMatchObject({ ok: true, changes: [expect.objectContaining({ used: false, clients: [] })] });
      expect(byVersion.ok).toBe(false);
      expect(byVersion.changes[0].clients).toEqual([`web@2.2.0 (operations: TaskWeights ${HASH_B.slice(0, 12)})`]);
      expect(published).toMatchObject({ status: 'PUBLISHED', report: { ok: true } });
    });

    it('should count usage of any reported coordinate of a type', async () => {
      await sut().reportUsage({ reports: [usedBy({ coordinates: ['Task.name'] }, new Date(now.getTime() - DAY))] });

      const source = service.app.get(DatabaseSchemaUsage);
      const found = await source.clientsUsing(
        [
          { key: 'Task', coordinates: [], types: ['Task'] },
          { key: 'Invoice', coordinates: [], types: ['Invoice'] },
        ],
        new Date(now.getTime() - 7 * DAY),
      );
      expect([...found.keys()]).toEqual(['Task']);
    });
  });

  describe('usage of arguments, input fields, enum values and whole subgraphs', () => {
    const now = new Date('2026-06-11T12:00:00.000Z');
    const clock = { now: () => now };
    const yesterday = new Date(now.getTime() - DAY);
    const OPS_V1 = `${FEDERATION}
      directive @audited on FIELD_DEFINITION
      type Query { jobs(filter: JobFilter, status: JobStatus, first: Int): [Job!]! @audited }
      type Job { id: ID! status: JobStatus! }
      input JobFilter { status: JobStatus nameContains: String }
      enum JobStatus { ACTIVE ARCHIVED }`;
    const jobs = (coordinates: string[], overrides: Partial<UsageReport> = {}) =>
      report({ coordinates: ['Query.jobs', 'Job.id', ...coordinates], operationName: 'Jobs', ...overrides }, yesterday);
    const check = async (edit: (sdl: string) => string, excludedClients: string[] = []) => {
      const result = await sut().check({ subgraph: 'ops', sdl: edit(OPS_V1) }, { ...clock, excludedClients });
      return { ok: result.ok, breaking: result.changes.filter((change) => change.criticality === 'BREAKING') };
    };
    const withoutArchived = (sdl: string) => sdl.replace('ACTIVE ARCHIVED', 'ACTIVE');
    const withoutFirst = (sdl: string) => sdl.replace(', first: Int', '');

    beforeAll(async () => {
      await sut().publish({ subgraph: 'ops', sdl: OPS_V1, author: 'ci-ops' }, clock);
    });

    it('should pass removing an enum value no client chose, and fail when one chose it as a literal or variable value', async () => {
      await sut().reportUsage({ reports: [jobs(['Query.jobs.status', 'JobStatus.ACTIVE', 'Job.status'])] });
      const unused = await check(withoutArchived);
      await sut().reportUsage({
        reports: [jobs(['Query.jobs.filter', 'JobFilter.status', 'JobStatus.ARCHIVED'], { clientName: 'mobile', clientVersion: '2.0.0' })],
      });
      const used = await check(withoutArchived);

      expect(unused).toEqual({
        ok: true,
        breaking: [expect.objectContaining({ type: 'ENUM_VALUE_REMOVED', path: 'JobStatus.ARCHIVED', used: false, clients: [] })],
      });
      expect(used.ok).toBe(false);
      expect(used.breaking[0]).toMatchObject({
        path: 'JobStatus.ARCHIVED',
        clients: [`mobile@2.0.0 (operations: Jobs ${HASH_A.slice(0, 12)})`],
      });
    });

    it('should pass removing an argument no client gave, though clients select its field, and fail once one gives it', async () => {
      await sut().reportUsage({ reports: [jobs(['Query.jobs.status', 'JobStatus.ACTIVE'])] });
      const unused = await check(withoutFirst);
      await sut().reportUsage({ reports: [jobs(['Query.jobs.first'], { clientVersion: '2.2.0', operationHash: HASH_B })] });
      const used = await check(withoutFirst);
      const whoGivesIt = await sut().whoUses('Query.jobs.first', undefined, clock);

      expect(unused).toEqual({
        ok: true,
        breaking: [expect.objectContaining({ type: 'FIELD_ARGUMENT_REMOVED', path: 'Query.jobs.first', used: false })],
      });
      expect(used.breaking[0]).toMatchObject({ used: true, clients: [`web@2.2.0 (operations: Jobs ${HASH_B.slice(0, 12)})`] });
      expect(whoGivesIt.clients.map((client) => client.clientVersion)).toEqual(['2.2.0']);
    });

    it('should count every client of a field for a required argument added, and every giver of an input type for a required input field', async () => {
      await sut().reportUsage({
        reports: [jobs([]), jobs(['Query.jobs.filter'], { clientName: 'batch', clientVersion: '1', operationHash: HASH_B })],
      });

      const requiredArgument = await check((sdl) => sdl.replace('first: Int)', 'first: Int, tenant: ID!)'));
      const requiredInputField = await check((sdl) => sdl.replace('nameContains: String }', 'nameContains: String tenant: ID! }'));

      expect(requiredArgument.breaking).toEqual([
        expect.objectContaining({
          type: 'FIELD_ARGUMENT_ADDED',
          path: 'Query.jobs.tenant',
          clients: [expect.stringMatching(/^batch@1 /), expect.stringMatching(/^web@2\.1\.0 /)],
        }),
      ]);
      expect(requiredInputField.breaking).toEqual([
        expect.objectContaining({ type: 'INPUT_FIELD_ADDED', path: 'JobFilter.tenant', clients: [expect.stringMatching(/^batch@1 /)] }),
      ]);
    });

    it('should count a schema-wide change as used when a client used anything of that subgraph, and only of that subgraph', async () => {
      const withoutDirective = (sdl: string) => sdl.replace('directive @audited on FIELD_DEFINITION', '').replace(' @audited', '');
      await sut().reportUsage({ reports: [usedBy({}, yesterday)] });
      const otherSubgraphOnly = await check(withoutDirective);
      await sut().reportUsage({ reports: [jobs(['Job.status'], { clientName: 'mobile', clientVersion: '2.0.0' })] });
      const used = await check(withoutDirective);
      const excluded = await check(withoutDirective, ['mobile']);

      expect(otherSubgraphOnly).toEqual({ ok: true, breaking: [expect.objectContaining({ path: '@audited', used: false })] });
      expect(used.ok).toBe(false);
      expect(used.breaking[0]).toMatchObject({
        type: 'DIRECTIVE_REMOVED',
        clients: [`mobile@2.0.0 (operations: Jobs ${HASH_A.slice(0, 12)})`],
      });
      expect(excluded.ok).toBe(true);
    });

    it('should let a check leave clients out on top of REGISTRY_EXCLUDED_CLIENTS, and refuse a malformed list', async () => {
      await sut().reportUsage({
        reports: [jobs(['JobStatus.ARCHIVED'], { clientName: 'mobile', clientVersion: '2.0.0' }), jobs(['JobStatus.ARCHIVED'])],
      });
      const sdl = withoutArchived(OPS_V1);

      const onlyConfigured = await sut().check({ subgraph: 'ops', sdl }, { ...clock, excludedClients: ['mobile'] });
      const both = await call(service, 'POST', '/registry/check', { subgraph: 'ops', sdl, excludeClients: ['web@2.1.0'] });
      const malformed = await call(service, 'POST', '/registry/check', { subgraph: 'ops', sdl, excludeClients: 'web' });
      const bothWithClock = await sut().check(
        { subgraph: 'ops', sdl, excludeClients: ['web@2.1.0'] },
        { ...clock, excludedClients: ['mobile'] },
      );

      expect(onlyConfigured).toMatchObject({ ok: false, excludedClients: ['mobile'] });
      expect(onlyConfigured.changes[0].clients).toEqual([expect.stringMatching(/^web@2\.1\.0 /)]);
      expect(both.status).toBe(200);
      expect(bothWithClock).toMatchObject({ ok: true, excludedClients: ['mobile', 'web@2.1.0'] });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.problems).toEqual(['excludeClients is a list of at most 100 client names ("name" or "name@version")']);
    });
  });

  it('should answer who uses a coordinate: clients, versions, operations, counts and last seen', async () => {
    const now = new Date();
    await call(service, 'POST', '/registry/usage', {
      reports: [
        report({ count: 5 }, new Date(now.getTime() - 2 * DAY)),
        report({ count: 2 }, new Date(now.getTime() - 60_000)),
        report({ clientVersion: '2.0.0', operationHash: HASH_B, operationName: 'OldMargins', count: 1 }, new Date(now.getTime() - 3 * DAY)),
        report({ clientName: 'mobile', count: 4 }, new Date(now.getTime() - 20 * DAY)),
        report({ clientName: 'batch', coordinates: ['Project.budget'] }, now),
      ],
    });

    const week = await call(service, 'GET', '/registry/usage?coordinate=Project.margin&days=7');
    const defaultWindow = await call(service, 'GET', '/registry/usage?coordinate=Project.margin');
    const month = await call(service, 'GET', '/registry/usage?coordinate=Project.margin&days=30');
    const invalid = await call(service, 'GET', '/registry/usage?coordinate=Project.margin.x.y&days=0');

    expect(week.status).toBe(200);
    expect(week.body).toMatchObject({ coordinate: 'Project.margin', days: 7 });
    expect(week.body.clients).toEqual([
      {
        clientName: 'web',
        clientVersion: '2.0.0',
        excluded: false,
        count: 1,
        lastSeen: expect.any(String),
        operations: [{ hash: HASH_B, name: 'OldMargins', count: 1, lastSeen: expect.any(String) }],
      },
      {
        clientName: 'web',
        clientVersion: '2.1.0',
        excluded: false,
        count: 7,
        lastSeen: new Date(now.getTime() - 60_000).toISOString(),
        operations: [{ hash: HASH_A, name: 'ProjectMargins', count: 7, lastSeen: new Date(now.getTime() - 60_000).toISOString() }],
      },
    ]);
    expect(defaultWindow.body.clients).toEqual(week.body.clients);
    expect(month.body.clients.map((client: { clientName: string }) => client.clientName)).toEqual(['mobile', 'web', 'web']);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.problems).toHaveLength(2);
  });
});
