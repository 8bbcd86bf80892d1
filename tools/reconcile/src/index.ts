export { committedSchemas, reconcile, runLedgerCheck, type ReconcileOptions } from './reconcile';
export { DELIVERED_TIME_STATUSES, INCURRED_EXPENSE_STATUSES, LEDGER_CHECKS, type LedgerCheck } from './ledger-checks';
export { floatMoneyColumns, floatMoneyFields, floatMoneyInSchemas, looksLikeMoney, MONEY_SCHEMAS, NOT_MONEY } from './float-money';
export {
  CLIENT_FIGURES_QUERY,
  fetchClientFigures,
  fetchLegalEntityFigures,
  fetchProjectFigures,
  GraphError,
  LEGAL_ENTITY_FIGURES_QUERY,
  PROJECT_FIGURES_QUERY,
} from './graph';
export {
  loadLedger,
  ownerFigureTotals,
  reconcileGraph,
  sumProjectFigures,
  type GraphFigures,
  type Ledger,
  type OwnerFigures,
  type ProjectFigures,
  type ProjectLedger,
  type Totals,
} from './rollup';
export { formatReport, reportOf, type CheckResult, type ReconcileReport } from './report';
export { fxRateOn, roundHalfEven } from './sql';
