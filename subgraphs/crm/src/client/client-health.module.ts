import { Module, type DynamicModule } from '@nestjs/common';
import { ClientHealthResolver } from './client-health.resolver';
import { ClientHealthService } from './client-health.service';
import { CLIENT_HEALTH_OPTIONS, DEFAULT_CLIENT_HEALTH_OPTIONS, type ClientHealthOptions } from './client-health.options';

/** Client.health (issue 6): computed from the PSA and ERP fields the gateway passes in; thresholds configurable. */
@Module({})
export class ClientHealthModule {
  /** Thresholds: the defaults, overridden by CLIENT_HEALTH_* at start (main.ts) or by a test. */
  static forRoot(options: Partial<ClientHealthOptions> = {}): DynamicModule {
    return {
      module: ClientHealthModule,
      providers: [
        { provide: CLIENT_HEALTH_OPTIONS, useValue: { ...DEFAULT_CLIENT_HEALTH_OPTIONS, ...options } },
        ClientHealthService,
        ClientHealthResolver,
      ],
    };
  }
}
