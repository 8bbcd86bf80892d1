import { ValidationPipe, type DynamicModule, type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createLogger, migrate, type Logger } from '@concord/common';
import { publishSchemaAtStart, type SchemaPublishOptions } from './schema-publisher';

class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}

export interface StartOptions {
  name: string;
  port: number;
  host?: string;
  /** run pending migrations before listening (default true) */
  migrate?: boolean;
  bodyLimit?: string;
  /** publish the SDL to governance's schema registry once listening (in the background, retried) */
  publish?: PublishAtStart;
}

/** SCHEMA_PUBLISH and friends; the routing URL defaults to this service's own /graphql. */
export type PublishAtStart = Omit<SchemaPublishOptions, 'routingUrl' | 'author'> & { routingUrl?: string; author?: string };

/** Validated inputs everywhere: unknown fields refused, values transformed to their declared types. */
export const inputValidation = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: false,
});

/** Creates a Nest service app (subgraph or governance), migrates its schema and starts listening. */
export async function startService(module: DynamicModule, options: StartOptions): Promise<INestApplication> {
  const logger = createLogger(options.name);
  const app = await NestFactory.create<NestExpressApplication>(module, { logger: new PinoNestLogger(logger), bodyParser: false });
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: options.bodyLimit ?? '1mb' });
  app.useGlobalPipes(inputValidation);
  app.enableShutdownHooks();
  if (options.migrate !== false) {
    const applied = await migrate(app.get(DataSource), options.name);
    if (applied.length) {
      logger.info({ migrations: applied }, 'applied migrations');
    }
  }
  await app.listen(options.port, options.host ?? '127.0.0.1');
  logger.info({ url: await app.getUrl() }, `${options.name} listening`);
  if (options.publish) {
    const { port } = app.getHttpServer().address() as AddressInfo;
    const host = !options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
    void publishSchemaAtStart(
      app,
      {
        ...options.publish,
        routingUrl: options.publish.routingUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`,
        author: options.publish.author ?? `service:${options.publish.subgraph}@${hostname()}`,
      },
      logger,
    );
  }
  return app;
}
