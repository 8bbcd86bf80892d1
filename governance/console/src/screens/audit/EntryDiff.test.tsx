import { render, screen, within } from '@testing-library/react';
import { CompareEntries, EntryDiff, filterOf, type LedgerEntry } from './LedgerSearch';

const entry = (overrides: Partial<LedgerEntry>): LedgerEntry => ({
  eventId: '0190a3f2-6a1b-7c3d-8e4f-5a6b7c8d9e0f',
  position: '7',
  occurredAt: '2026-11-23T10:00:00.123Z',
  service: 'crm',
  actor: { sub: 'ann', roles: ['sales'] },
  action: 'update',
  entity: 'Client',
  entityId: 'c-1',
  before: { name: 'Acme', tier: 'GOLD' },
  after: { name: 'Acme SA', tier: 'GOLD' },
  changedFields: ['name'],
  reason: 'renamed',
  correlationId: 'corr-1',
  policyVersion: '3',
  hash: 'a'.repeat(64),
  prevHash: 'b'.repeat(64),
  ...overrides,
});

describe('EntryDiff', () => {
  it('should show each field before and after, the changed one marked first', () => {
    render(<EntryDiff entry={entry({})} />);

    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual(['nameAcmeAcme SA', 'tierGOLDGOLD']);
    expect(rows[0]).toHaveProperty('className', 'diff-changed');
    expect(rows[1]).toHaveProperty('className', 'diff-same');
  });

  it('should say so when an entry has no snapshot (a read)', () => {
    render(<EntryDiff entry={entry({ action: 'read', before: null, after: null })} />);

    expect(screen.getByText('No before or after snapshot on this entry.')).toBeTruthy();
  });
});

describe('CompareEntries', () => {
  it('should put two entries side by side and mark what differs', () => {
    render(
      <CompareEntries
        left={entry({})}
        right={entry({ position: '9', actor: { sub: 'bob', roles: ['finance'] }, after: { name: 'Acme SA', tier: 'SILVER' } })}
        onClose={() => undefined}
      />,
    );

    const actor = screen.getByRole('row', { name: /^Actor/ });
    expect(actor.className).toBe('diff-changed');
    expect(actor.textContent).toBe('Actorann (sales)bob (finance)');
    expect(screen.getByRole('row', { name: /^Service/ }).className).toBe('diff-same');
    expect(screen.getByRole('row', { name: /^after\.tier/ }).textContent).toBe('after.tierGOLDSILVER');
  });
});

describe('filterOf', () => {
  it('should need both ends of the range and make the end date inclusive', () => {
    expect(filterOf({ q: 'actor:ann', from: '2026-01-01' })).toBeNull();
    expect(filterOf({ q: 'actor:ann margin', from: '2026-01-01', to: '2026-01-31' })).toEqual({
      actorSub: 'ann',
      text: 'margin',
      occurredFrom: '2026-01-01',
      occurredTo: '2026-02-01',
    });
  });
});
