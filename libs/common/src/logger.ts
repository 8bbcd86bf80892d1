import pino, { type Logger } from 'pino';
import { currentContext } from './context';

/**
 * Structured JSON logs. Every line carries the service name and, inside a request, its correlation id,
 * so one id follows a request from the gateway into every subgraph.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const context = currentContext();
      return context ? { correlationId: context.correlationId } : {};
    },
  });
}

export type { Logger };
