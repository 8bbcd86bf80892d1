import {
  BURN_RATE_WINDOWS,
  IncidentSeverity,
  assessPairs,
  budgetRemaining,
  burnRate,
  decidingPair,
  describePair,
  errorBudget,
  errorRate,
  type SliCount,
} from './burn-rate';

/** Counts per window with the same error rate in each (events per window as given). */
function counts(entries: Record<number, SliCount>): Map<number, SliCount> {
  return new Map(Object.entries(entries).map(([minutes, count]) => [Number(minutes), count]));
}

describe('burn rates', () => {
  it('should need the 5 min, 30 min, 1 h, 6 h and 3 d windows', () => {
    expect(BURN_RATE_WINDOWS).toEqual([5, 30, 60, 360, 4_320]);
  });

  it('should divide the error rate by the error budget, without float noise in the budget', () => {
    expect(errorBudget(0.999)).toBe(0.001);
    expect(errorBudget(0.995)).toBe(0.005);
    expect(burnRate(0.0144, 0.999)).toBeCloseTo(14.4, 10);
    expect(burnRate(0.01, 0.99)).toBe(1);
    expect(errorRate({ events: 200, bad: 3 })).toBe(0.015);
  });

  it('should count a window without events as burning nothing', () => {
    expect(errorRate({ events: 0, bad: 0 })).toBe(0);
    expect(budgetRemaining({ events: 0, bad: 0 }, 0.999)).toBe(1);
  });

  it('should leave a budget spent by half at 0.5 and an overspent one negative', () => {
    expect(budgetRemaining({ events: 10_000, bad: 5 }, 0.999)).toBeCloseTo(0.5, 10);
    expect(budgetRemaining({ events: 1_000, bad: 3 }, 0.999)).toBeCloseTo(-2, 10);
  });

  describe(assessPairs.name, () => {
    it('should page when both the 1 h and the 5 min window burn faster than 14.4×', () => {
      // objective 0.99: 1 % budget; 20 % errors burn 20×
      const pairs = assessPairs(
        counts({
          5: { events: 50, bad: 10 },
          30: { events: 300, bad: 60 },
          60: { events: 600, bad: 120 },
          360: { events: 3_600, bad: 120 },
        }),
        0.99,
        10,
      );

      expect(pairs.map((pair) => [pair.factor, pair.long.burnRate, pair.short.burnRate, pair.firing])).toEqual([
        [14.4, 20, 20, true],
        [6, expect.closeTo(3.333, 3), 20, false],
        [1, 0, expect.closeTo(3.333, 3), false],
      ]);
      expect(decidingPair(pairs)?.severity).toBe(IncidentSeverity.PAGE);
    });

    it('should not fire a pair whose short window has recovered', () => {
      const pairs = assessPairs(counts({ 5: { events: 50, bad: 0 }, 60: { events: 600, bad: 120 } }), 0.99, 10);

      expect(pairs[0]).toMatchObject({ firing: false, long: { burnRate: 20 }, short: { burnRate: 0 } });
      expect(decidingPair(pairs)).toBeUndefined();
    });

    it('should not fire a pair whose long window stays under the factor however bad the short one is', () => {
      const pairs = assessPairs(counts({ 5: { events: 50, bad: 50 }, 60: { events: 600, bad: 60 } }), 0.99, 10);

      expect(pairs[0]).toMatchObject({ firing: false, long: { burnRate: 10 }, short: { burnRate: 100 } });
    });

    it('should page at 6× over 6 h and 30 min, and open a ticket at 1× over 3 d and 6 h', () => {
      const six = assessPairs(
        counts({ 5: { events: 10, bad: 0 }, 30: { events: 100, bad: 7 }, 60: { events: 200, bad: 2 }, 360: { events: 1_000, bad: 70 } }),
        0.99,
        10,
      );
      const ticket = assessPairs(counts({ 360: { events: 1_000, bad: 20 }, 4_320: { events: 10_000, bad: 150 } }), 0.99, 10);

      // no 3 d count given: the ticket pair has no traffic
      expect(six.map((pair) => pair.firing)).toEqual([false, true, false]);
      expect(decidingPair(six)).toMatchObject({ severity: IncidentSeverity.PAGE, factor: 6 });
      expect(ticket.map((pair) => pair.firing)).toEqual([false, false, true]);
      expect(decidingPair(ticket)).toMatchObject({ severity: IncidentSeverity.TICKET, factor: 1 });
    });

    it('should not fire at exactly the factor (it must be exceeded)', () => {
      const pairs = assessPairs(counts({ 5: { events: 1_000, bad: 144 }, 60: { events: 10_000, bad: 1_440 } }), 0.99, 10);

      expect(pairs[0]).toMatchObject({ firing: false, long: { burnRate: expect.closeTo(14.4, 10) } });
    });

    it('should not fire with fewer events than the minimum in the long window, and say so', () => {
      const pairs = assessPairs(counts({ 5: { events: 5, bad: 5 }, 30: { events: 9, bad: 9 }, 60: { events: 9, bad: 9 } }), 0.999, 10);

      expect(pairs.map((pair) => [pair.lowTraffic, pair.firing])).toEqual([
        [true, false],
        [true, false],
        [true, false],
      ]);
      expect(assessPairs(counts({ 5: { events: 10, bad: 10 }, 60: { events: 10, bad: 10 } }), 0.999, 10)[0].firing).toBe(true);
    });
  });

  it('should describe a pair in one line', () => {
    const [pair] = assessPairs(counts({ 5: { events: 100, bad: 30 }, 60: { events: 1_000, bad: 200 } }), 0.99, 10);

    expect(describePair(pair)).toBe('burn 20× over 1 h and 30× over 5 min (page above 14.4×)');
  });
});
