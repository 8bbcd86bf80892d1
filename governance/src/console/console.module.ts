import { Module, type DynamicModule } from '@nestjs/common';
import { ConsoleController } from './console.controller';
import { CONSOLE_OPTIONS, type ConsoleOptions } from './console.options';

export type { ConsoleOptions } from './console.options';

/** The console at /console (ConsoleController). */
@Module({})
export class ConsoleModule {
  static forRoot(options: ConsoleOptions): DynamicModule {
    return {
      module: ConsoleModule,
      controllers: [ConsoleController],
      providers: [{ provide: CONSOLE_OPTIONS, useValue: options }],
    };
  }
}
