/** A percentage 0–100 with at most 2 decimals (numeric(5,2) columns: contract renewal threshold, billing pct). */
export const PERCENT_2DP = /^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/;
