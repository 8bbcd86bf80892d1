import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { SubgraphCoreModule } from '@concord/graphql';
import { erpEntities } from './entities';
import { erpMigrations } from './migrations';

export interface ErpModuleOptions {
  databaseUrl: string;
  poolSize?: number;
  queryLogger?: TypeOrmLogger;
}

@Module({})
export class ErpModule {
  static forRoot(options: ErpModuleOptions): DynamicModule {
    return {
      module: ErpModule,
      imports: [
        SubgraphCoreModule.forRoot({ name: 'erp', entities: erpEntities, migrations: erpMigrations, ...options }),
        // context modules
      ],
    };
  }
}
