import type { ReactNode } from 'react';

export interface ListColumn<T> {
  header: string;
  /** right-aligned, tabular figures */
  numeric?: boolean;
  /** for tests and styles: data-testid on each cell of the column */
  testId?: string;
  cell: (row: T, index: number) => ReactNode;
}

export interface ListTableProps<T> {
  label: string;
  rows: readonly T[];
  columns: readonly ListColumn<T>[];
  rowKey: (row: T) => string;
  /** an anchor per row (e.g. `project-<id>`), so search results and links can point at one */
  rowId?: (row: T) => string;
  compact?: boolean;
}

/** A small read-only table for the lists inside a page (a client's projects, invoices…); DataTable is for screens' main lists. */
export function ListTable<T>({ label, rows, columns, rowKey, rowId, compact }: ListTableProps<T>) {
  return (
    <div className="table-wrap">
      <table className={compact ? 'table compact' : 'table'} aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={column.numeric ? 'num' : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={rowKey(row)} id={rowId?.(row)}>
              {columns.map((column) => (
                <td key={column.header} className={column.numeric ? 'num' : undefined} data-testid={column.testId}>
                  {column.cell(row, index)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
