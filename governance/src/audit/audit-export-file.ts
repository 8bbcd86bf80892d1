import { createHash, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, type AuditEvent } from '@concord/common';
import { chainHash } from './audit-hash';
import { AUDIT_EVENT_KEYS } from './audit-event.validation';

/**
 * An NDJSON export is a file an auditor can check offline (`npm run audit:verify -- --file`):
 *   line 1     the header: `{"@concord":"audit-export", version, exportId, exportedAt, exportedBy, filter, order,
 *              head: {position, hash} (the ledger's last entry when the export started: no exported entry is newer),
 *              rows, recordedAs: {eventId, position, hash} (the export's own `audit.export` ledger entry)}`
 *   lines 2…   one ledger entry per line (position, hash, prevHash and the event fields that were hashed)
 *   last line  the trailer: `{"@concord":"audit-export-end", rows, digest, keyId, signature}`; digest is the sha256
 *              of every exported entry's hash in file order (each followed by \n), and the signature is the ledger
 *              key's Ed25519 signature of the statement below (header facts + rows + digest).
 * A CSV export carries the same facts in HTTP headers only (X-Audit-Chain-Head, X-Audit-Export-Id, X-Audit-Export-Rows).
 */
export const EXPORT_HEADER_MARK = 'audit-export';
export const EXPORT_TRAILER_MARK = 'audit-export-end';
export const EXPORT_FILE_VERSION = 1;

export interface AuditExportHeader {
  '@concord': typeof EXPORT_HEADER_MARK;
  version: number;
  exportId: string;
  exportedAt: string;
  exportedBy: { sub: string; roles: string[] };
  format: 'ndjson';
  order: 'ASC' | 'DESC';
  filter: Record<string, unknown>;
  head: { position: string; hash: string };
  rows: number;
  recordedAs: { eventId: string; position: string; hash: string } | null;
}

export interface AuditExportTrailer {
  '@concord': typeof EXPORT_TRAILER_MARK;
  rows: number;
  digest: string;
  keyId: string;
  signature: string;
}

/** The running sha256 of the exported entries' hashes. */
export class ExportDigest {
  private readonly hash = createHash('sha256');
  rows = 0;

  add(entryHash: string): void {
    this.hash.update(`${entryHash}\n`);
    this.rows += 1;
  }

  hex(): string {
    return this.hash.digest('hex');
  }
}

/** What the trailer's signature signs: the header's facts, the row count and the digest. */
export function exportStatement(header: AuditExportHeader, rows: number, digest: string): Buffer {
  const { exportId, exportedAt, exportedBy, order, filter, head, recordedAs } = header;
  return Buffer.from(
    `concord-audit-export:v${EXPORT_FILE_VERSION}:${canonicalJson({ exportId, exportedAt, exportedBy, order, filter, head, recordedAs, rows, digest })}`,
    'utf8',
  );
}

export interface ExportCheck {
  ok: boolean;
  /** ledger entries whose hash was recomputed */
  entries: number;
  /** links checked between entries of adjacent positions */
  links: number;
  signature: 'valid' | 'not_checked';
  /** 1-based line of the first problem */
  line?: number;
  problem?: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const HEX64 = /^[0-9a-f]{64}$/;
const POSITION = /^[1-9][0-9]*$/;

/**
 * Checks an NDJSON export offline. Every entry's hash is recomputed from its prevHash and fields (an edited field
 * shows); where two exported entries hold adjacent positions their link must hold (a contiguous export is checked as
 * a chain, a filtered one entry by entry); the entry at the head must carry the head's hash; positions follow the
 * order; the trailer's row count and digest must match the entries (nothing removed, added or reordered); and with
 * the ledger's public key the trailer's signature must hold over the header's facts, count and digest — without the
 * key a forger could recompute everything, so only the key ties the file to governance.
 */
export function checkExport(lines: readonly string[], publicKey?: { key: KeyObject; keyId: string }): ExportCheck {
  let entries = 0;
  let links = 0;
  const fail = (line: number, problem: string): ExportCheck => ({ ok: false, entries, links, signature: 'not_checked', line, problem });
  const parse = (index: number): Json | undefined => {
    try {
      const value: unknown = JSON.parse(lines[index]);
      return isObject(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const count = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  const header = count > 0 ? parse(0) : undefined;
  if (!header || header['@concord'] !== EXPORT_HEADER_MARK || header.version !== EXPORT_FILE_VERSION) {
    return fail(1, 'not a Concord audit export: the first line must be its header');
  }
  const head = header.head as Json | undefined;
  if (
    !isObject(head) ||
    typeof head.position !== 'string' ||
    typeof head.hash !== 'string' ||
    (header.order !== 'ASC' && header.order !== 'DESC')
  ) {
    return fail(1, 'the header lacks its head or order');
  }
  const digest = new ExportDigest();
  let previous: { position: bigint; hash: string; prevHash: string } | null = null;
  let index = 1;
  for (; index < count; index++) {
    const line = parse(index);
    if (!line) {
      return fail(index + 1, 'not a JSON object');
    }
    if (line['@concord'] === EXPORT_TRAILER_MARK) {
      break;
    }
    const { position, hash, prevHash } = line;
    if (
      typeof position !== 'string' ||
      !POSITION.test(position) ||
      typeof hash !== 'string' ||
      !HEX64.test(hash) ||
      typeof prevHash !== 'string' ||
      !HEX64.test(prevHash)
    ) {
      return fail(index + 1, 'not a ledger entry (position, hash, prevHash)');
    }
    const event = Object.fromEntries(AUDIT_EVENT_KEYS.map((key) => [key, line[key]])) as unknown as AuditEvent;
    const recomputed = chainHash(prevHash, event);
    if (recomputed !== hash) {
      return fail(index + 1, `position ${position}: hash mismatch (the entry's content hashes to ${recomputed}, the file says ${hash})`);
    }
    const at = BigInt(position);
    if (at > BigInt(head.position as string)) {
      return fail(index + 1, `position ${position} is beyond the export's head ${head.position as string}`);
    }
    if (at === BigInt(head.position as string) && hash !== head.hash) {
      return fail(index + 1, `position ${position} is the head but its hash differs from the header's head hash`);
    }
    if (previous) {
      const ascending = header.order === 'ASC';
      if (ascending ? at <= previous.position : at >= previous.position) {
        return fail(index + 1, `position ${position} is out of ${ascending ? 'ascending' : 'descending'} order`);
      }
      // adjacent positions: the later entry's prevHash must be the earlier one's hash
      if (ascending && at === previous.position + 1n) {
        links++;
        if (prevHash !== previous.hash) {
          return fail(index + 1, `position ${position}: prevHash does not link to position ${previous.position.toString()}`);
        }
      } else if (!ascending && at === previous.position - 1n) {
        links++;
        if (previous.prevHash !== hash) {
          return fail(index, `position ${previous.position.toString()}: prevHash does not link to position ${position}`);
        }
      }
    }
    previous = { position: at, hash, prevHash };
    digest.add(hash);
    entries++;
  }
  const trailer = index < count ? parse(index) : undefined;
  if (!trailer || trailer['@concord'] !== EXPORT_TRAILER_MARK) {
    return fail(count + 1, 'the trailer is missing: the export is truncated');
  }
  if (index + 1 !== count) {
    return fail(index + 2, 'lines after the trailer');
  }
  if (trailer.rows !== entries || header.rows !== entries) {
    return fail(
      index + 1,
      `the export holds ${entries} entries, its header says ${String(header.rows)} and its trailer ${String(trailer.rows)}`,
    );
  }
  const computed = digest.hex();
  if (trailer.digest !== computed) {
    return fail(index + 1, `digest mismatch: the entries digest to ${computed}, the trailer says ${String(trailer.digest)}`);
  }
  if (!publicKey) {
    return { ok: true, entries, links, signature: 'not_checked' };
  }
  if (trailer.keyId !== publicKey.keyId) {
    return fail(index + 1, `signed by key ${String(trailer.keyId)}, not by the given key ${publicKey.keyId}`);
  }
  let valid = false;
  try {
    valid = verify(
      null,
      exportStatement(header as unknown as AuditExportHeader, entries, computed),
      publicKey.key,
      Buffer.from(String(trailer.signature), 'base64'),
    );
  } catch {
    valid = false;
  }
  if (!valid) {
    return fail(index + 1, 'the signature does not hold: the header, count or digest is not what governance signed');
  }
  return { ok: true, entries, links, signature: 'valid' };
}
