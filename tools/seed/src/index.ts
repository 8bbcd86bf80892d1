export { HELP, parseArgs, UsageError, type CliOptions } from './args';
export { CHECKS, verifyInvariants, type Violation } from './verify';
export {
  formatViolations,
  InvariantError,
  planFor,
  SeedError,
  seedDatabase,
  verifyDatabase,
  type SeedOptions,
  type SeedPlan,
  type SeedResult,
} from './seed';
export { REFERENCE_DATE } from './calendar';
