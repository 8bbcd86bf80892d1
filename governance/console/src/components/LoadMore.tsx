/** The footer of a cursor-paginated list: how many are shown, and "Load more" while the connection has pages. */
export function LoadMore({
  count,
  noun,
  hasMore,
  loading,
  onMore,
}: {
  count: number;
  /** plural, e.g. "checks" */
  noun: string;
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
}) {
  return (
    <div className="table-footer">
      <span className="muted">
        {count} {noun}
        {hasMore ? ', more to load' : ''}
      </span>
      {hasMore ? (
        <button type="button" className="button" onClick={onMore} disabled={loading}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </div>
  );
}
