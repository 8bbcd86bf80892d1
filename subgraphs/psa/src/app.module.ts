import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { SubgraphCoreModule } from '@concord/graphql';
import { psaEntities } from './entities';
import { psaMigrations } from './migrations';

export interface PsaModuleOptions {
  databaseUrl: string;
  poolSize?: number;
  queryLogger?: TypeOrmLogger;
}

@Module({})
export class PsaModule {
  static forRoot(options: PsaModuleOptions): DynamicModule {
    return {
      module: PsaModule,
      imports: [
        SubgraphCoreModule.forRoot({ name: 'psa', entities: psaEntities, migrations: psaMigrations, ...options }),
        // context modules
      ],
    };
  }
}
