// "No floating-point money" (issue 6, STYLE.md §15) for the services' code: money is a decimal string summed with
// decimal() from @concord/common, so turning it into a JS number is an error. Only names that look like money are
// flagged (a count may still be Number(row.count)); eslint.config.mjs applies it to subgraphs/*/src.

/** Identifier or property names that look like money: amountAmount, billRate, totalValue, costToDate, marginPct … */
const MONEY =
  '/([Aa]mount|[Rr]ate|[Tt]otal|[Cc]ost|[Pp]rice|[Rr]evenue|[Mm]argin|[Bb]alance|[Vv]alue|[Ff]ee|[Bb]udget|[Tt]ax|ARR|[Aa]rr$)/';
const USE_DECIMAL = 'use decimal() / sumAmounts() from @concord/common and keep it a decimal string';

export const noFloatMoneySelectors = [
  { selector: "CallExpression[callee.name='parseFloat']", message: `parseFloat turns money into a float: ${USE_DECIMAL}` },
  {
    selector: "CallExpression[callee.object.name='Number'][callee.property.name='parseFloat']",
    message: `Number.parseFloat turns money into a float: ${USE_DECIMAL}`,
  },
  {
    selector: `CallExpression[callee.name='Number'] > Identifier.arguments[name=${MONEY}]`,
    message: `Number() of an amount makes it a float: ${USE_DECIMAL}`,
  },
  {
    selector: `CallExpression[callee.name='Number'] > MemberExpression.arguments[property.name=${MONEY}]`,
    message: `Number() of an amount makes it a float: ${USE_DECIMAL}`,
  },
  {
    selector: `UnaryExpression[operator='+'] > MemberExpression.argument[property.name=${MONEY}]`,
    message: `unary + of an amount makes it a float: ${USE_DECIMAL}`,
  },
  {
    selector: "CallExpression[callee.property.name='toNumber']",
    message: `toNumber() of a decimal makes it a float: ${USE_DECIMAL} (format with toAmount())`,
  },
];

/** The rule entry, as eslint.config.mjs and its spec use it. */
export const noFloatMoneyRules = { 'no-restricted-syntax': ['error', ...noFloatMoneySelectors] };
