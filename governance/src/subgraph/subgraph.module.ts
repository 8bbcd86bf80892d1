import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SubgraphHealthCron } from './subgraph-health.cron';
import { SubgraphEntity } from './subgraph.entity';
import { SUBGRAPH_PROBE_OPTIONS, SubgraphService, type SubgraphProbeOptions } from './subgraph.service';

export type { SubgraphProbeOptions, SubgraphTarget } from './subgraph.service';

@Module({})
export class SubgraphModule {
  /** Global so that other contexts (health, later the registry) can read subgraph state. */
  static forRoot(options: SubgraphProbeOptions): DynamicModule {
    return {
      module: SubgraphModule,
      global: true,
      imports: [TypeOrmModule.forFeature([SubgraphEntity])],
      providers: [{ provide: SUBGRAPH_PROBE_OPTIONS, useValue: options }, SubgraphService, SubgraphHealthCron],
      exports: [SubgraphService],
    };
  }
}
