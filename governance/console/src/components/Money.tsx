export interface MoneyValue {
  amount: string;
  currency: string;
}

/**
 * "1234567.5" → "1,234,567.50": exact decimal strings are grouped, never turned into floats; at least `places`
 * decimals, more when the amount has them.
 */
export function formatAmount(amount: string, places = 2): string {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const decimals = fraction.padEnd(places, '0');
  return `${negative ? '−' : ''}${grouped}${decimals ? `.${decimals}` : ''}`;
}

/** "1234.5" → 123450n: a money amount in integer cents (more decimals are cut, not rounded). */
export function cents(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const value = BigInt(whole || '0') * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  return negative ? -value : value;
}

/** A withheld value: the policy gave this role no access to it. */
export function Withheld({ what = 'this figure' }: { what?: string }) {
  return (
    <span className="withheld" title={`Your role may not see ${what}`} aria-label={`withheld: your role may not see ${what}`}>
      withheld
    </span>
  );
}

export function Money({ value, withheld, what }: { value: MoneyValue | null | undefined; withheld?: boolean; what?: string }) {
  if (withheld) {
    return <Withheld what={what} />;
  }
  if (!value) {
    return <span className="muted">—</span>;
  }
  return (
    <span className="money">
      {formatAmount(value.amount)} <span className="currency">{value.currency}</span>
    </span>
  );
}

export function MoneyList({ values, withheld, what }: { values: MoneyValue[] | null | undefined; withheld?: boolean; what?: string }) {
  if (withheld) {
    return <Withheld what={what} />;
  }
  if (!values || values.length === 0) {
    return <span className="muted">—</span>;
  }
  return (
    <span className="money-list">
      {values.map((value) => (
        <Money key={value.currency} value={value} />
      ))}
    </span>
  );
}
