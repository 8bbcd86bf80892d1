export const SLO_FIELDS = 'id name kind target indicator objective latencyThresholdMs windowDays enabled';

export const SLO_STATUSES = `query ConsoleSloStatuses($id: ID) {
  sloStatuses(id: $id) {
    slo { ${SLO_FIELDS} } health windowEnd windowEvents windowBad budgetRemaining currentBurnRate exhaustsAt minutesToExhaustion
    lowTraffic explanation
    pairs { severity factor longWindowMinutes shortWindowMinutes longBurnRate shortBurnRate longEvents shortEvents firing lowTraffic description }
  } }`;

export interface SloRef {
  id: string;
  name: string;
  kind: string;
  target: string;
  indicator: string;
  objective: number;
  latencyThresholdMs: number | null;
  windowDays: number;
  enabled: boolean;
}

export interface BurnPair {
  severity: string;
  factor: number;
  longWindowMinutes: number;
  shortWindowMinutes: number;
  longBurnRate: number;
  shortBurnRate: number;
  longEvents: number;
  shortEvents: number;
  firing: boolean;
  lowTraffic: boolean;
  description: string;
}

export interface SloStatus {
  slo: SloRef;
  health: string;
  windowEnd: string;
  windowEvents: number;
  windowBad: number;
  budgetRemaining: number | null;
  currentBurnRate: number;
  exhaustsAt: string | null;
  minutesToExhaustion: number | null;
  lowTraffic: boolean;
  explanation: string;
  pairs: BurnPair[];
}
