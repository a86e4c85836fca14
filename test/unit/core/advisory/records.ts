/** Small inline OSV records for the advisory and assess tests (shapes as in the real feeds). */
import type { OsvRecord } from '../../../../controller/core/advisory/osv-record.js';

export function osv(id: string, affected: OsvRecord['affected'], extra: Partial<OsvRecord> = {}): OsvRecord {
  return { id, modified: '2025-01-01T00:00:00Z', affected, ...extra };
}

export function fixedRange(fixed: string, introduced = '0'): { type: string; events: { introduced?: string; fixed?: string }[] } {
  return { type: 'ECOSYSTEM', events: [{ introduced }, { fixed }] };
}

export const UNFIXED_RANGE = { type: 'ECOSYSTEM', events: [{ introduced: '0' }] };
