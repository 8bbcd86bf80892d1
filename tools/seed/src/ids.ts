import { createHash } from 'node:crypto';
import type { Random } from './random';

/**
 * UUIDv7-shaped ids that come from the PRNG and a given instant instead of the clock: the 48-bit millisecond
 * timestamp is the record's (fixed, derived) creation time, the 74 random bits come from the seeded stream.
 * Same seed → same ids; ids stay time-ordered like the services' own v7 ids.
 */
export function uuidV7(random: Random, at: Date | number): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new Error(`invalid id timestamp ${ms}`);
  }
  const time = ms.toString(16).padStart(12, '0');
  const randA = (random.uint32() & 0x0fff).toString(16).padStart(3, '0');
  const variant = ((random.uint32() & 0x3fff) | 0x8000).toString(16).padStart(4, '0');
  const tail = random.hex(12);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randA}-${variant}-${tail}`;
}

/**
 * A UUIDv7-shaped id derived from another id and a purpose, without drawing from the PRNG (so adding a derived row
 * leaves every other seeded id as it was): the source's timestamp, then bits of sha256(purpose:source).
 */
export function derivedId(source: string, purpose: string): string {
  const digest = createHash('sha256').update(`${purpose}:${source}`).digest('hex');
  const variant = ((parseInt(digest.slice(3, 7), 16) & 0x3fff) | 0x8000).toString(16).padStart(4, '0');
  return `${source.slice(0, 13)}-7${digest.slice(0, 3)}-${variant}-${digest.slice(7, 19)}`;
}
