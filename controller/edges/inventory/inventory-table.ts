import type { HostInventory, HostInventoryList } from '../../core/inventory/host-inventory.js';
import { terminalSafe } from '../../core/text/terminal-safe.js';
import { formatColumns } from '../../core/text/columns.js';

function cells(item: HostInventory): string[] {
  const ok = item.status === 'ok';
  const db =
    item.packageDb === undefined
      ? '-'
      : item.packageDb.healthy
        ? 'healthy'
        : item.packageDb.problems
            .map((problem) => problem.kind)
            .filter((kind, index, all) => all.indexOf(kind) === index)
            .join(',');
  return [
    item.host,
    item.status,
    ok ? (item.os?.release ?? '-') : '-',
    ok ? String(item.packages?.length ?? 0) : '-',
    item.reboot === undefined ? '-' : item.reboot.required ? 'required' : 'no',
    db,
    item.durationSeconds === undefined ? '-' : `${item.durationSeconds.toFixed(2)}s`,
    item.reason ?? '',
  ];
}

/** A plain-text table of an inventory, one row per host; the reason column explains failures. */
export function formatInventoryTable(list: HostInventoryList): string {
  const header = ['HOST', 'STATUS', 'OS', 'PACKAGES', 'REBOOT', 'DB', 'DURATION', 'REASON'];
  const rows = [header, ...list.items.map((item) => cells(item).map(terminalSafe))];
  const lines = formatColumns(rows);
  const failed = list.items.filter((item) => item.status !== 'ok').length;
  lines.push('', `${list.items.length} host(s), ${list.items.length - failed} ok, ${failed} failed`);
  return lines.join('\n') + '\n';
}
