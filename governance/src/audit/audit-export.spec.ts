import { CSV_COLUMNS, csvField, csvHeader, formatBatch } from './audit-export';
import type { AuditEventOutput } from './dtos/audit-event.output';

const event: AuditEventOutput = {
  position: '7',
  eventId: '0190a3f2-6a1b-7c3d-8e4f-5a6b7c8d9e0f',
  occurredAt: new Date('2026-11-23T10:00:00.123Z'),
  service: 'crm',
  actor: { sub: 'ann', roles: ['sales', 'data_steward'] },
  action: 'update',
  entity: 'Client',
  entityId: 'c-1',
  before: { name: 'Acme' },
  after: { name: 'Acme, "SA"' },
  changedFields: ['name'],
  reason: null,
  correlationId: 'corr-1',
  policyVersion: '3',
  hash: 'a'.repeat(64),
  prevHash: 'b'.repeat(64),
};

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    [' padded ', '" padded "'],
    ['', '""'],
  ])('should write %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('should leave null empty, apart from an empty string', () => {
    expect(csvField(null)).toBe('');
  });
});

describe('formatBatch', () => {
  it('should write one CSV record per event in the header’s column order, ending in CRLF', () => {
    const text = formatBatch('csv', [event]);

    expect(csvHeader()).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    expect(text).toBe(
      [
        '7',
        event.eventId,
        '2026-11-23T10:00:00.123Z',
        'crm',
        'ann',
        '"[""sales"",""data_steward""]"',
        'update',
        'Client',
        'c-1',
        '"{""name"":""Acme""}"',
        '"{""name"":""Acme, \\""SA\\""""}"',
        '"[""name""]"',
        '',
        'corr-1',
        '3',
        'a'.repeat(64),
        'b'.repeat(64),
      ].join(',') + '\r\n',
    );
  });

  it('should write one JSON object per line', () => {
    const lines = formatBatch('ndjson', [event, { ...event, position: '8', actor: null }]).split('\n');

    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0])).toEqual({ ...event, occurredAt: '2026-11-23T10:00:00.123Z' });
    expect(JSON.parse(lines[1])).toMatchObject({ position: '8', actor: null });
  });
});
