import { ConcordError, ErrorCode } from './errors';

/** Allowed transitions of one entity's status field: `from → [to, …]` (DOMAIN.md §2). */
export type Transitions<S extends string> = Readonly<Record<S, readonly S[]>>;

export class StateMachine<S extends string> {
  constructor(
    readonly entity: string,
    private readonly transitions: Transitions<S>,
  ) {}

  get states(): S[] {
    return Object.keys(this.transitions) as S[];
  }

  canTransition(from: S, to: S): boolean {
    return this.transitions[from]?.includes(to) ?? false;
  }

  /** Throws INVALID_TRANSITION naming the allowed targets when `from → to` is not an edge. */
  assertTransition(from: S, to: S): void {
    if (!this.canTransition(from, to)) {
      const allowed = this.transitions[from] ?? [];
      throw new ConcordError(
        ErrorCode.INVALID_TRANSITION,
        `${this.entity} cannot go from ${from} to ${to}` + (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ` (${from} is final)`),
        { entity: this.entity, from, to, allowed: [...allowed] },
      );
    }
  }
}
