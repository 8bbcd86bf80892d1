import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ClientExtension } from '../client/client.type';
import { ContractEntity } from '../contract/contract.entity';
import { LegalEntityEntity } from '../legal-entity/legal-entity.entity';
import { ProjectExtension } from '../project/project.type';
import { FinanceKpisArgs, KpiPeriodArgs } from './dtos/finance-kpi.input';
import { FinanceKpis } from './dtos/finance-kpi.output';
import { FinanceKpiService } from './finance-kpi.service';

const DESCRIPTION = 'Finance KPIs of the period (from/to, inclusive ISO dates), one row per currency.';

@Resolver(() => FinanceKpis)
export class FinanceKpiResolver {
  constructor(private readonly financeKpiService: FinanceKpiService) {}

  @Query(() => FinanceKpis, {
    description: `${DESCRIPTION} The whole portfolio, or one legal entity (then also converted to its functional currency) and/or one currency.`,
  })
  financeKpis(@Args() args: FinanceKpisArgs): Promise<FinanceKpis> {
    return this.financeKpiService.portfolio(args);
  }
}

// Fields this subgraph adds to another subgraph's entity are nullable: if this subgraph is down, the gateway
// nulls just them instead of the whole parent object.
@Resolver(() => ClientExtension)
export class ClientFinanceKpiResolver {
  constructor(private readonly financeKpiService: FinanceKpiService) {}

  @ResolveField(() => FinanceKpis, { nullable: true, description: `${DESCRIPTION} Of this client's invoices, contracts and revenue.` })
  financeKpis(@Parent() client: ClientExtension, @Args() period: KpiPeriodArgs): Promise<FinanceKpis> {
    return this.financeKpiService.of('client', client.id, period);
  }
}

@Resolver(() => ProjectExtension)
export class ProjectFinanceKpiResolver {
  constructor(private readonly financeKpiService: FinanceKpiService) {}

  @ResolveField(() => FinanceKpis, {
    nullable: true,
    description: `${DESCRIPTION} Of this project's invoices and revenue; backlog is empty (the contract value a project carries is not known to the ERP).`,
  })
  financeKpis(@Parent() project: ProjectExtension, @Args() period: KpiPeriodArgs): Promise<FinanceKpis> {
    return this.financeKpiService.of('project', project.id, period);
  }
}

@Resolver(() => LegalEntityEntity)
export class LegalEntityFinanceKpiResolver {
  constructor(private readonly financeKpiService: FinanceKpiService) {}

  @ResolveField(() => FinanceKpis, { description: `${DESCRIPTION} Also converted to the functional currency (inFunctionalCurrency).` })
  financeKpis(@Parent() legalEntity: LegalEntityEntity, @Args() period: KpiPeriodArgs): Promise<FinanceKpis> {
    return this.financeKpiService.of('legalEntity', legalEntity.id, period);
  }
}

@Resolver(() => ContractEntity)
export class ContractFinanceKpiResolver {
  constructor(private readonly financeKpiService: FinanceKpiService) {}

  @ResolveField(() => FinanceKpis, { description: `${DESCRIPTION} Of this contract.` })
  financeKpis(@Parent() contract: ContractEntity, @Args() period: KpiPeriodArgs): Promise<FinanceKpis> {
    return this.financeKpiService.of('contract', contract.id, period);
  }
}
