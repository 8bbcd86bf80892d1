import { decimal } from '@concord/common';
import type { ClientHealthOptions } from './client-health.options';
import { ClientHealthReasonCode, ClientHealthStatus, type ClientHealth, type ClientHealthReason } from './dtos/client-health.output';

/** What the health rules read, from PSA and ERP; null when that subgraph gave nothing (down, or hidden). */
export interface ClientHealthInputs {
  activeProjectsRed: number | null;
  activeProjectsAmber: number | null;
  oldestOverdueDays: number | null;
  /** null when the caller may not see margin or the ERP has none */
  marginPct: string | null;
}

/** The DOMAIN.md §2 client health rules, worst reason first. */
export function clientHealthOf(inputs: ClientHealthInputs, options: ClientHealthOptions): ClientHealth {
  const reasons: ClientHealthReason[] = [];
  const red = (code: ClientHealthReasonCode, message: string) => reasons.push({ code, status: ClientHealthStatus.RED, message });
  const amber = (code: ClientHealthReasonCode, message: string) => reasons.push({ code, status: ClientHealthStatus.AMBER, message });
  const plural = (count: number) => (count === 1 ? '1 active project is' : `${count} active projects are`);

  if (inputs.activeProjectsRed) {
    red(ClientHealthReasonCode.PROJECT_RED, `${plural(inputs.activeProjectsRed)} RED`);
  }
  const overdue = inputs.oldestOverdueDays ?? 0;
  if (overdue > options.overdueRedDays) {
    red(ClientHealthReasonCode.AR_OVERDUE, `the oldest overdue invoice is ${overdue} days past due (RED above ${options.overdueRedDays})`);
  }
  const margin = inputs.marginPct === null ? null : decimal(inputs.marginPct);
  if (margin?.lessThan(options.marginFloorPct)) {
    red(ClientHealthReasonCode.MARGIN_BELOW_FLOOR, `margin ${inputs.marginPct} % is below the floor of ${options.marginFloorPct} %`);
  }
  if (inputs.activeProjectsAmber) {
    amber(ClientHealthReasonCode.PROJECT_AMBER, `${plural(inputs.activeProjectsAmber)} AMBER`);
  }
  if (overdue > options.overdueAmberDays && overdue <= options.overdueRedDays) {
    amber(
      ClientHealthReasonCode.AR_OVERDUE,
      `the oldest overdue invoice is ${overdue} days past due (AMBER above ${options.overdueAmberDays})`,
    );
  }
  if (margin && !margin.lessThan(options.marginFloorPct) && margin.lessThan(options.marginTargetPct)) {
    amber(ClientHealthReasonCode.MARGIN_BELOW_TARGET, `margin ${inputs.marginPct} % is below the target of ${options.marginTargetPct} %`);
  }
  const status = reasons.some((reason) => reason.status === ClientHealthStatus.RED)
    ? ClientHealthStatus.RED
    : reasons.length > 0
      ? ClientHealthStatus.AMBER
      : ClientHealthStatus.GREEN;
  return { status, reasons, marginConsidered: margin !== null };
}
