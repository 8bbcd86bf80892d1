import * as Tabs from '@radix-ui/react-tabs';

/** Tabs over a record of views (`{ open: { label: 'Open' }, … }`); the chosen one lives in the URL of the screen. */
export function TabBar<K extends string>({
  views,
  value,
  onChange,
  label,
}: {
  views: Record<K, { label: string }>;
  value: K;
  onChange: (value: K) => void;
  label: string;
}) {
  return (
    <Tabs.Root value={value} onValueChange={(next) => onChange(next as K)}>
      <Tabs.List className="tabs" aria-label={label}>
        {(Object.keys(views) as K[]).map((key) => (
          <Tabs.Trigger key={key} value={key} className="tab">
            {views[key].label}
          </Tabs.Trigger>
        ))}
      </Tabs.List>
    </Tabs.Root>
  );
}

/** A select of enum values shown in words ("INVOICE_RUN" → "invoice run"), "Any" for none. */
export function EnumSelect({
  label,
  values,
  value,
  onChange,
}: {
  label: string;
  values: readonly string[];
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <label className="field field-inline">
      <span>{label}</span>
      <select value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)} aria-label={label}>
        <option value="">Any</option>
        {values.map((option) => (
          <option key={option} value={option}>
            {option.replace(/_/g, ' ').toLowerCase()}
          </option>
        ))}
      </select>
    </label>
  );
}

/** From and to (both ISO dates, the end included), each bounding the other; `inline` for a filter row. */
export function DateRangeFields({
  from,
  to,
  onChange,
  inline = false,
  required = false,
}: {
  from: string | undefined;
  to: string | undefined;
  onChange: (range: { from?: string | undefined; to?: string | undefined }) => void;
  inline?: boolean;
  required?: boolean;
}) {
  const className = inline ? 'field field-inline' : 'field';
  return (
    <>
      <label className={className}>
        <span>From</span>
        <input
          type="date"
          value={from ?? ''}
          max={to}
          onChange={(event) => onChange({ from: event.target.value || undefined })}
          aria-label="From"
          required={required}
        />
      </label>
      <label className={className}>
        <span>To (inclusive)</span>
        <input
          type="date"
          value={to ?? ''}
          min={from}
          onChange={(event) => onChange({ to: event.target.value || undefined })}
          aria-label="To"
          required={required}
        />
      </label>
    </>
  );
}
