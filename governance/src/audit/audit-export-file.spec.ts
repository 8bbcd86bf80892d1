import { generateKeyPairSync, sign } from 'node:crypto';
import type { AuditEvent } from '@concord/common';
import { GENESIS_HASH, chainHash } from './audit-hash';
import {
  EXPORT_FILE_VERSION,
  EXPORT_HEADER_MARK,
  EXPORT_TRAILER_MARK,
  ExportDigest,
  checkExport,
  exportStatement,
  type AuditExportHeader,
} from './audit-export-file';
import { keyIdOf } from './audit-signing-key';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const keyId = keyIdOf(publicKey);
const other = generateKeyPairSync('ed25519');

function ledgerOf(size: number): (AuditEvent & { position: string; hash: string; prevHash: string })[] {
  let prevHash = GENESIS_HASH;
  return Array.from({ length: size }, (_, index) => {
    const event: AuditEvent = {
      eventId: `0190a3f2-6a1b-7c3d-8e4f-${String(index).padStart(12, '0')}`,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 12, 0, index)).toISOString(),
      service: 'erp',
      actor: { sub: `user-${index}`, roles: ['finance'] },
      action: 'update',
      entity: 'Invoice',
      entityId: `inv-${index}`,
      before: { total: '10.00' },
      after: { total: `${index}.50` },
      changedFields: ['total'],
      reason: null,
      correlationId: null,
      policyVersion: '1',
    };
    const hash = chainHash(prevHash, event);
    const entry = { ...event, position: String(index + 1), hash, prevHash };
    prevHash = hash;
    return entry;
  });
}

/** An export file as governance writes it, signed by `key`. */
function exportOf(
  entries: ReturnType<typeof ledgerOf>,
  options: { order?: 'ASC' | 'DESC'; head: { position: string; hash: string }; key?: typeof privateKey },
): string[] {
  const header: AuditExportHeader = {
    '@concord': EXPORT_HEADER_MARK,
    version: EXPORT_FILE_VERSION,
    exportId: 'export-1',
    exportedAt: '2026-02-01T00:00:00.000Z',
    exportedBy: { sub: 'auditor-ada', roles: ['auditor'] },
    format: 'ndjson',
    order: options.order ?? 'ASC',
    filter: { occurredFrom: '2026-01-01' },
    head: options.head,
    rows: entries.length,
    recordedAs: null,
  };
  const digest = new ExportDigest();
  entries.forEach((entry) => digest.add(entry.hash));
  const sum = digest.hex();
  const signature = sign(null, exportStatement(header, entries.length, sum), options.key ?? privateKey).toString('base64');
  return [
    JSON.stringify(header),
    ...entries.map((entry) => JSON.stringify(entry)),
    JSON.stringify({ '@concord': EXPORT_TRAILER_MARK, rows: entries.length, digest: sum, keyId, signature }),
    '',
  ];
}

describe(checkExport.name, () => {
  const ledger = ledgerOf(6);
  const head = { position: '6', hash: ledger[5].hash };
  const key = { key: publicKey, keyId };

  it('should accept a contiguous export, check every link and the signature', () => {
    expect(checkExport(exportOf(ledger, { head }), key)).toEqual({ ok: true, entries: 6, links: 5, signature: 'valid' });
  });

  it('should accept a newest-first export and check its links backwards', () => {
    expect(checkExport(exportOf([...ledger].reverse(), { head, order: 'DESC' }), key)).toMatchObject({ ok: true, links: 5 });
  });

  it('should accept a filtered export entry by entry, linking only adjacent positions', () => {
    const filtered = [ledger[0], ledger[2], ledger[3]];
    expect(checkExport(exportOf(filtered, { head }), key)).toEqual({ ok: true, entries: 3, links: 1, signature: 'valid' });
  });

  it('should say the signature was not checked without a public key', () => {
    expect(checkExport(exportOf(ledger, { head }))).toMatchObject({ ok: true, signature: 'not_checked' });
  });

  it('should name the line of an edited entry', () => {
    const lines = exportOf(ledger, { head });
    lines[3] = lines[3].replace('"2.50"', '"2000.50"');
    expect(checkExport(lines, key)).toMatchObject({ ok: false, line: 4, entries: 2 });
    expect(checkExport(lines, key).problem).toMatch(/^position 3: hash mismatch/);
  });

  it('should refuse an entry re-hashed by a forger: the link to its neighbour breaks', () => {
    const forged = ledgerOf(6);
    const { position, hash: _hash, prevHash, ...event } = { ...forged[2], after: { total: '999.00' } };
    const entry = { ...event, position, prevHash, hash: chainHash(prevHash, event) };
    const lines = exportOf([forged[0], forged[1], entry, forged[3]], { head });
    expect(checkExport(lines, key)).toMatchObject({ ok: false, line: 5, problem: 'position 4: prevHash does not link to position 3' });
  });

  it('should refuse a removed entry through the signed digest', () => {
    const lines = exportOf(ledger, { head });
    lines.splice(6, 1); // drops position 6: the rest still links
    expect(checkExport(lines, key)).toMatchObject({ ok: false, line: 7 });
    expect(checkExport(lines, key).problem).toMatch(/holds 5 entries/);
  });

  it('should refuse a truncated export', () => {
    const lines = exportOf(ledger, { head }).slice(0, 4);
    expect(checkExport(lines, key)).toMatchObject({ ok: false, problem: 'the trailer is missing: the export is truncated' });
  });

  it('should refuse a changed header that the signature covers', () => {
    const lines = exportOf(ledger, { head });
    lines[0] = lines[0].replace('"occurredFrom":"2026-01-01"', '"occurredFrom":"2025-01-01"');
    expect(checkExport(lines, key)).toMatchObject({ ok: false, line: 8, problem: expect.stringMatching(/signature does not hold/) });
  });

  it('should refuse a file signed by another key', () => {
    const lines = exportOf(ledger, { head, key: other.privateKey });
    expect(checkExport(lines, key)).toMatchObject({ ok: false, problem: expect.stringMatching(/signature does not hold/) });
  });

  it('should refuse an entry at the head whose hash is not the head hash', () => {
    expect(checkExport(exportOf(ledger, { head: { position: '6', hash: 'f'.repeat(64) } }), key)).toMatchObject({ ok: false, line: 7 });
  });

  it('should refuse a file that is not an export', () => {
    expect(checkExport(['{"position":"1"}'], key)).toMatchObject({ ok: false, line: 1 });
  });
});
