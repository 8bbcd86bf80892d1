import { fireEvent, render, screen } from '@testing-library/react';
import { LoadMore } from './LoadMore';

describe('LoadMore', () => {
  it('should offer the next page while there is one, and say how many are shown', () => {
    const onMore = jest.fn();
    const { rerender } = render(<LoadMore count={25} noun="checks" hasMore loading={false} onMore={onMore} />);

    expect(screen.getByText('25 checks, more to load')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(onMore).toHaveBeenCalledTimes(1);

    rerender(<LoadMore count={25} noun="checks" hasMore loading onMore={onMore} />);
    expect((screen.getByRole('button', { name: 'Loading…' }) as HTMLButtonElement).disabled).toBe(true);

    rerender(<LoadMore count={31} noun="checks" hasMore={false} loading={false} onMore={onMore} />);
    expect(screen.getByText('31 checks')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
