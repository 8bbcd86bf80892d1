import { fireEvent, render, screen } from '@testing-library/react';
import { createColumnHelper } from '@tanstack/react-table';
import { DataTable } from './DataTable';

interface Row {
  id: string;
  name: string;
}
const column = createColumnHelper<Row>();
const columns = [column.accessor('name', { header: 'Name' })];
const base = { columns, rowKey: (row: Row) => row.id, label: 'things', empty: { title: 'Nothing here', hint: 'Clear the filters.' } };

describe('DataTable', () => {
  it('should design its loading, empty and error states', () => {
    const retry = jest.fn();
    const { rerender } = render(<DataTable {...base} rows={[]} loading />);
    expect(screen.getByRole('status', { name: 'Loading things' })).toBeTruthy();

    rerender(<DataTable {...base} rows={[]} />);
    expect(screen.getByText('Nothing here')).toBeTruthy();
    expect(screen.getByText('Clear the filters.')).toBeTruthy();

    rerender(<DataTable {...base} rows={[]} error={new Error('gateway down')} retry={retry} />);
    expect(screen.getByRole('alert').textContent).toContain('gateway down');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('should offer the next page while the connection has one, and count the rows loaded', () => {
    const loadMore = jest.fn();
    const rows = [
      { id: '1', name: 'Acme' },
      { id: '2', name: 'Globex' },
    ];
    const { rerender } = render(<DataTable {...base} rows={rows} hasMore loadMore={loadMore} />);

    expect(screen.getAllByRole('row')).toHaveLength(3);
    expect(screen.getByText('2 rows, more to load')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(loadMore).toHaveBeenCalledTimes(1);

    rerender(<DataTable {...base} rows={rows} hasMore={false} loadMore={loadMore} />);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });
});
