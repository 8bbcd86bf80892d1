import { fromCents, multiplyHours, multiplyRate, scaleCents, toCents, toMicros } from '../amounts';
import { parseArgs, UsageError } from '../args';
import { addMonths, dayOf, isoOf, isWeekday, weekStart } from '../calendar';
import { uuidV7 } from '../ids';
import { Random } from '../random';
import { planFor } from '../seed';

describe(Random.name, () => {
  it('should repeat the same sequence for the same seed and stream', () => {
    // Arrange
    const first = Random.of(42, 'client', 7);
    const second = Random.of(42, 'client', 7);

    // Act
    const a = Array.from({ length: 5 }, () => first.uint32());
    const b = Array.from({ length: 5 }, () => second.uint32());

    // Assert
    expect(a).toEqual(b);
  });

  it('should give another sequence for another seed or stream', () => {
    const base = Random.of(42, 'client', 7).uint32();

    expect(Random.of(43, 'client', 7).uint32()).not.toBe(base);
    expect(Random.of(42, 'client', 8).uint32()).not.toBe(base);
  });

  it('should keep int() within its inclusive bounds', () => {
    const sut = new Random(1);

    const values = Array.from({ length: 2000 }, () => sut.int(3, 5));

    expect(new Set(values)).toEqual(new Set([3, 4, 5]));
  });
});

describe('uuidV7', () => {
  it('should make a version 7 id carrying the given instant, the same for the same stream', () => {
    const at = Date.UTC(2026, 10, 1, 9);

    const id = uuidV7(new Random(42, 'ids'), at);

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(uuidV7(new Random(42, 'ids'), at)).toBe(id);
  });
});

describe('amounts', () => {
  it('should convert cents to decimal strings and back', () => {
    expect(fromCents(12345)).toBe('123.45');
    expect(fromCents(5)).toBe('0.05');
    expect(fromCents(-5)).toBe('-0.05');
    expect(toCents('123.4')).toBe(12340);
    expect(toCents('0.05')).toBe(5);
  });

  it('should price quarter hours at whole rates exactly', () => {
    expect(multiplyHours(725, 15000)).toBe(108750); // 7.25 h × 150.00 = 1087.50
  });

  it('should round hours × a 6-decimal rate half-even to cents', () => {
    expect(multiplyRate(100, toMicros('0.125000'))).toBe(12); // 0.125 → 0.12
    expect(multiplyRate(100, toMicros('0.135000'))).toBe(14); // 0.135 → 0.14
    expect(multiplyRate(800, toMicros('71.234567'))).toBe(56988); // 569.876536 → 569.88
  });

  it('should scale by a decimal factor with banker’s rounding', () => {
    expect(scaleCents(1000, '1.085000')).toBe(1085);
    expect(scaleCents(25, '0.5')).toBe(12); // 0.125 → 0.12
  });
});

describe('calendar', () => {
  it('should know weekdays, Mondays and months of the reference date', () => {
    const reference = dayOf('2026-11-01'); // a Sunday

    expect(isWeekday(reference)).toBe(false);
    expect(isoOf(weekStart(reference))).toBe('2026-10-26');
    expect(isoOf(addMonths(reference, -24))).toBe('2024-11-01');
    expect(isoOf(addMonths(dayOf('2026-01-31'), 1))).toBe('2026-02-01');
  });
});

describe('parseArgs', () => {
  it('should default to scale 1 and seed 42', () => {
    expect(parseArgs([])).toMatchObject({ mode: 'seed', scale: 1, seed: 42, ifEmpty: false, reset: false });
  });

  it('should read every flag, with or without "="', () => {
    expect(parseArgs(['--scale', '0.1', '--seed=7', '--if-empty', '--quiet'])).toMatchObject({
      scale: 0.1,
      seed: 7,
      ifEmpty: true,
      quiet: true,
    });
    expect(parseArgs(['--verify']).mode).toBe('verify');
    expect(parseArgs(['--reset']).reset).toBe(true);
  });

  it('should not accept a scale below 0.02, a fractional seed, an unknown flag or --if-empty with --reset', () => {
    expect(() => parseArgs(['--scale', '0.01'])).toThrow(UsageError);
    expect(() => parseArgs(['--seed', '1.5'])).toThrow(UsageError);
    expect(() => parseArgs(['--force'])).toThrow(UsageError);
    expect(() => parseArgs(['--if-empty', '--reset'])).toThrow(UsageError);
    expect(() => parseArgs(['--scale'])).toThrow(UsageError);
  });
});

describe('planFor', () => {
  it('should scale clients, projects and resources linearly', () => {
    const small = planFor(0.1, 42);
    const one = planFor(1, 42);
    const large = planFor(20, 42);

    expect([small.clients, one.clients, large.clients]).toEqual([5, 50, 1000]);
    expect([small.projects, one.projects, large.projects]).toEqual([15, 150, 3000]);
    expect([one.resources, large.resources]).toEqual([60, 1200]);
  });

  it('should spread exactly the planned projects over the clients', () => {
    for (const scale of [0.02, 0.05, 0.3, 1, 20]) {
      const plan = planFor(scale, 42);

      expect(plan.projectsPerClient).toHaveLength(plan.clients);
      expect(plan.projectsPerClient.reduce((sum, n) => sum + n, 0)).toBe(plan.projects);
    }
  });

  it('should keep at least a few clients at the smallest scale', () => {
    const plan = planFor(0.02, 42);

    expect(plan.clients).toBe(3);
    expect(plan.projects).toBeGreaterThanOrEqual(2);
  });
});
