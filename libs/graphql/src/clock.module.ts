import { Global, Module } from '@nestjs/common';
import { todayIso } from '@concord/common';

/** Today's date and the current instant, injected so that date rules (OVERDUE, default dates) are testable. */
export interface Clock {
  now(): Date;
  /** ISO date (YYYY-MM-DD) in UTC. */
  today(): string;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => todayIso(),
};

/** Provides the system clock; a test module can provide another `CLOCK`. */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
export class ClockModule {}
