import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { WorkflowException, WorkflowExceptionCode } from './workflow.exception';

export interface ProjectSetupCycle {
  opportunityId: string;
  projectId: string;
  closedWonAt: Date;
  /** when the OPPORTUNITY_TO_PROJECT run finished: contract, billing, project, tasks and requests all in place */
  setupReadyAt: Date;
  /** when the project went ACTIVE (the delivery manager confirmed it); null while it is in SETUP */
  activatedAt: Date | null;
  setupSeconds: number;
  /** activatedAt − closedWonAt in days (DOMAIN.md §3 project setup cycle time); null while not activated */
  cycleDays: number | null;
}

export interface ProjectSetupCycleReport {
  from: string;
  to: string;
  projects: ProjectSetupCycle[];
  /** deals won in the period whose project was set up */
  count: number;
  activated: number;
  averageSetupSeconds: number | null;
  p95SetupSeconds: number | null;
  averageCycleDays: number | null;
  p90CycleDays: number | null;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 732;

/** The value at `share` (0–1) of sorted values, nearest rank. */
function percentile(sorted: readonly number[], share: number): number | null {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * Project setup cycle time (DOMAIN.md §3: project.activatedAt − opportunity.closedWonAt), from what the ledger and the
 * workflow runs recorded: the closed-won event that started each OPPORTUNITY_TO_PROJECT run (its `closedAt`), the run's
 * end (setup ready), and the project's first transition to ACTIVE in the ledger (its `activatedAt`). Durations, not
 * money: plain numbers.
 */
@Injectable()
export class SetupCycleService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async report(from: string, to: string): Promise<ProjectSetupCycleReport> {
    if (!ISO_DAY.test(from) || !ISO_DAY.test(to) || from > to || Date.parse(to) - Date.parse(from) > MAX_DAYS * 86_400_000) {
      throw new WorkflowException(
        WorkflowExceptionCode.INVALID_INPUT,
        `from and to are ISO dates, from ≤ to, at most ${MAX_DAYS} days apart`,
        {
          problems: ['from/to'],
        },
      );
    }
    const rows: { opportunity_id: string; project_id: string; closed_at: Date; completed_at: Date; activated_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT run.business_key AS opportunity_id, run.state->>'projectId' AS project_id,
                (won.after->>'closedAt')::timestamptz AS closed_at, run.completed_at, activation.activated_at
           FROM governance.workflow_run AS run
           JOIN governance.audit_event AS won ON won.event_id = run.trigger_event_id
           LEFT JOIN LATERAL (
             SELECT min((event.after->>'activatedAt')::timestamptz) AS activated_at
               FROM governance.audit_event AS event
              WHERE event.entity = 'Project' AND event.entity_id = run.state->>'projectId' AND event.service = 'psa'
                AND event.after->>'status' = 'ACTIVE' AND event.after->>'activatedAt' IS NOT NULL
           ) AS activation ON true
          WHERE run.kind = 'OPPORTUNITY_TO_PROJECT' AND run.status = 'SUCCEEDED' AND run.state->>'projectId' IS NOT NULL
            AND won.after->>'closedAt' IS NOT NULL
            AND (won.after->>'closedAt')::timestamptz >= $1::date AND (won.after->>'closedAt')::timestamptz < $2::date + 1
          ORDER BY closed_at, opportunity_id`,
        [from, to],
      );
    const projects = rows.map((row): ProjectSetupCycle => {
      const setupSeconds = round((row.completed_at.getTime() - row.closed_at.getTime()) / 1000, 3);
      return {
        opportunityId: row.opportunity_id,
        projectId: row.project_id,
        closedWonAt: row.closed_at,
        setupReadyAt: row.completed_at,
        activatedAt: row.activated_at,
        setupSeconds,
        cycleDays: row.activated_at ? round((row.activated_at.getTime() - row.closed_at.getTime()) / 86_400_000, 2) : null,
      };
    });
    const setup = projects.map((project) => project.setupSeconds).sort((a, b) => a - b);
    const cycles = projects.flatMap((project) => (project.cycleDays === null ? [] : [project.cycleDays])).sort((a, b) => a - b);
    const average = (values: number[], places: number) =>
      values.length === 0 ? null : round(values.reduce((sum, value) => sum + value, 0) / values.length, places);
    return {
      from,
      to,
      projects,
      count: projects.length,
      activated: cycles.length,
      averageSetupSeconds: average(setup, 3),
      p95SetupSeconds: percentile(setup, 0.95),
      averageCycleDays: average(cycles, 2),
      p90CycleDays: percentile(cycles, 0.9),
    };
  }
}
