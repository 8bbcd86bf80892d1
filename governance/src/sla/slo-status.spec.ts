import { assessPairs, BURN_RATE_WINDOWS } from './burn-rate';
import { durationLabel, SloHealth, sloStatusOf } from './slo-status';

const NOW = new Date('2026-03-05T12:00:00.000Z');

/** The same error share in every burn-rate window, `events` per window. */
function pairsAt(errorShare: number, events = 1_000) {
  return assessPairs(new Map(BURN_RATE_WINDOWS.map((minutes) => [minutes, { events, bad: events * errorShare }])), 0.999, 10);
}

describe(sloStatusOf.name, () => {
  it('should page and tell the time to exhaustion when every window burns 20×', () => {
    const sut = sloStatusOf(pairsAt(0.02), { events: 100_000, bad: 50 }, 0.999, 28, NOW);

    expect(sut.health).toBe(SloHealth.FIRING);
    expect(sut.budgetRemaining).toBeCloseTo(0.5, 9);
    // half of 28 days at 20×: 0.5 × 40,320 min ÷ 20
    expect(sut.minutesToExhaustion).toBe(1_008);
    expect(sut.exhaustsAt).toEqual(new Date(NOW.getTime() + 1_008 * 60_000));
    expect(sut.explanation).toBe(
      'Paging: burn 20× over 1 h and 20× over 5 min (page above 14.4×); 50 % of the 28 d budget left, spent in 16 h 48 min at this burn',
    );
  });

  it('should say a spent budget is spent, exhausted now', () => {
    const sut = sloStatusOf(pairsAt(0), { events: 1_000, bad: 3 }, 0.999, 7, NOW);

    expect(sut.health).toBe(SloHealth.AT_RISK);
    expect(sut.minutesToExhaustion).toBe(0);
    expect(sut.explanation).toBe('No alert, but the 7 d budget is spent');
  });

  it('should flag low traffic and answer no data without events', () => {
    expect(sloStatusOf(pairsAt(0, 5), { events: 5, bad: 0 }, 0.999, 28, NOW)).toMatchObject({
      health: SloHealth.LOW_TRAFFIC,
      lowTraffic: true,
      minutesToExhaustion: null,
    });
    expect(sloStatusOf(pairsAt(0, 0), { events: 0, bad: 0 }, 0.999, 28, NOW)).toMatchObject({
      health: SloHealth.NO_DATA,
      budgetRemaining: null,
    });
  });
});

describe(durationLabel.name, () => {
  it.each([
    [45, '45 min'],
    [60, '1 h'],
    [200, '3 h 20 min'],
    [1_440 * 12 + 240, '12 d 4 h'],
  ])('should write %i minutes as %s', (minutes, label) => {
    expect(durationLabel(minutes)).toBe(label);
  });
});
