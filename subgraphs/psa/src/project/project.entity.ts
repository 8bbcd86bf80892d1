import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index } from 'typeorm';
import { Money, moneyOf, RecordEntity } from '@concord/graphql';

export enum ProjectStatus {
  SETUP = 'SETUP',
  ACTIVE = 'ACTIVE',
  ON_HOLD = 'ON_HOLD',
  COMPLETED = 'COMPLETED',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ProjectStatus, { name: 'ProjectStatus' });

/** Delivery health, separate from the status (Odoo on_track / at_risk / off_track). */
export enum ProjectHealth {
  GREEN = 'GREEN',
  AMBER = 'AMBER',
  RED = 'RED',
}
registerEnumType(ProjectHealth, { name: 'ProjectHealth' });

export enum ProjectBillingModel {
  TM = 'TM',
  FIXED = 'FIXED',
  MILESTONE = 'MILESTONE',
  RETAINER = 'RETAINER',
}
registerEnumType(ProjectBillingModel, { name: 'ProjectBillingModel', description: 'TM = time and materials.' });

/** Which rate prices the delivered hours (Kantata/Certinia): one per task, one for the project, or per resource. */
export enum ProjectPricingType {
  TASK_RATE = 'TASK_RATE',
  PROJECT_RATE = 'PROJECT_RATE',
  RESOURCE_RATE = 'RESOURCE_RATE',
}
registerEnumType(ProjectPricingType, { name: 'ProjectPricingType' });

/** How percentComplete is computed (ERPNext percent_complete_method); MANUAL is set by the manager. */
export enum PercentCompleteMethod {
  MANUAL = 'MANUAL',
  TASK_COMPLETION = 'TASK_COMPLETION',
  AVG_PROGRESS = 'AVG_PROGRESS',
  WEIGHTED_PROGRESS = 'WEIGHTED_PROGRESS',
}
registerEnumType(PercentCompleteMethod, {
  name: 'PercentCompleteMethod',
  valuesMap: {
    MANUAL: { description: 'Set by the delivery manager; tasks do not change it.' },
    TASK_COMPLETION: { description: 'DONE tasks / tasks not CANCELLED × 100.' },
    AVG_PROGRESS: { description: 'Average progress of the tasks not CANCELLED.' },
    WEIGHTED_PROGRESS: { description: 'Σ(progress × weight) / Σ weight over the tasks not CANCELLED.' },
  },
});

/** A delivery project (DOMAIN.md §1); PSA is its system of record, ERP extends it with financials. */
@ObjectType('Project', { description: 'A delivery project, owned by the PSA. All its money is in its currency (the contract currency).' })
@Directive('@key(fields: "id")')
@Entity({ name: 'project', schema: 'psa' })
@Index('ix_project_code_id', ['code', 'id'])
@Index('ix_project_name_id', ['name', 'id'])
@Index('ix_project_planned_start_id', ['plannedStart', 'id'])
@Index('ix_project_created_at_id', ['createdAt', 'id'])
@Index('ix_project_client_id', ['clientId'])
@Index('ix_project_contract_id', ['contractId'])
@Index('ix_project_opportunity_id', ['opportunityId'])
@Index('ix_project_manager_id', ['managerId'])
export class ProjectEntity extends RecordEntity {
  @Field({ description: 'Unique project code, e.g. "PRJ-2025-001".' })
  @Column('text')
  @Index('ux_project_code', { unique: true })
  code: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => ID, { description: 'The CRM client (account) the project is delivered for.' })
  @Column('uuid')
  clientId: string;

  @Field(() => ID, { nullable: true, description: 'The ERP contract the project delivers.' })
  @Column('uuid', { nullable: true })
  contractId: string | null;

  @Field(() => ID, { nullable: true, description: 'The CRM opportunity the project was won from.' })
  @Column('uuid', { nullable: true })
  opportunityId: string | null;

  @Field(() => ID, { nullable: true, description: 'The ERP legal entity that delivers and bills.' })
  @Column('uuid', { nullable: true })
  legalEntityId: string | null;

  @Field({ description: 'ISO-4217 currency of all project money: the contract currency.' })
  @Column('char', { length: 3 })
  currency: string;

  @Field(() => ProjectStatus)
  @Column('text', { default: ProjectStatus.SETUP })
  status: ProjectStatus;

  @Field(() => ProjectHealth)
  @Column('text', { default: ProjectHealth.GREEN })
  health: ProjectHealth;

  @Field(() => ProjectBillingModel)
  @Column('text', { default: ProjectBillingModel.TM })
  billingModel: ProjectBillingModel;

  @Field(() => ProjectPricingType)
  @Column('text', { default: ProjectPricingType.RESOURCE_RATE })
  pricingType: ProjectPricingType;

  @Field({ description: 'ISO date (YYYY-MM-DD).' })
  @Column('date')
  plannedStart: string;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD).' })
  @Column('date', { nullable: true })
  plannedEnd: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date; set on activation when empty.' })
  @Column('date', { nullable: true })
  actualStart: string | null;

  @Field(() => String, { nullable: true, description: 'ISO date; set when the project is COMPLETED.' })
  @Column('date', { nullable: true })
  actualEnd: string | null;

  @Field(() => Date, { nullable: true, description: 'When the project went SETUP → ACTIVE (setup cycle time ends here).' })
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  activatedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Budgeted hours, decimal string.' })
  @Column('numeric', { precision: 10, scale: 2, nullable: true })
  budgetHours: string | null;

  @Column('numeric', { name: 'budget', precision: 18, scale: 2, nullable: true })
  budgetAmount: string | null;

  @Field(() => String, { description: 'Percent complete, 0 to 100, decimal string.' })
  @Column('numeric', { precision: 5, scale: 2, default: 0 })
  percentComplete: string;

  @Field(() => PercentCompleteMethod)
  @Column('text', { default: PercentCompleteMethod.MANUAL })
  percentCompleteMethod: PercentCompleteMethod;

  @Field(() => String, { nullable: true, description: 'User id of the delivery manager.' })
  @Column('text', { nullable: true })
  managerId: string | null;

  @Field(() => Money, { nullable: true, description: 'Budget amount in the project currency (DOMAIN budgetAmount).' })
  get budget(): Money | null {
    return moneyOf(this.budgetAmount, this.currency);
  }
}
