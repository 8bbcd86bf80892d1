import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { Empty, ErrorState, Loading } from './States';

export interface DataTableProps<T> {
  // columns of different value types in one list: TanStack Table's own typing for that is ColumnDef<T, any>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  rows: T[];
  /** the first page is loading */
  loading?: boolean;
  error?: unknown;
  retry?: () => void;
  empty: { title: string; hint?: ReactNode };
  /** cursor pagination: more rows exist; `loadMore` fetches the next page (no cap) */
  hasMore?: boolean;
  loadingMore?: boolean;
  loadMore?: () => void;
  rowKey: (row: T) => string;
  label: string;
}

/** A list with its loading, empty and error states designed, and "Load more" while the connection has pages. */
export function DataTable<T>({
  columns,
  rows,
  loading,
  error,
  retry,
  empty,
  hasMore,
  loadingMore,
  loadMore,
  rowKey,
  label,
}: DataTableProps<T>) {
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: rowKey });
  if (error) {
    return <ErrorState error={error} retry={retry} />;
  }
  if (loading) {
    return <Loading label={`Loading ${label}`} />;
  }
  if (rows.length === 0) {
    return <Empty title={empty.title}>{empty.hint}</Empty>;
  }
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className={(header.column.columnDef.meta as { className?: string } | undefined)?.className}>
                  {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={(cell.column.columnDef.meta as { className?: string } | undefined)?.className}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="table-footer">
        <span className="muted">
          {rows.length} {rows.length === 1 ? 'row' : 'rows'}
          {hasMore ? ', more to load' : ''}
        </span>
        {hasMore ? (
          <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        ) : null}
      </div>
    </div>
  );
}
