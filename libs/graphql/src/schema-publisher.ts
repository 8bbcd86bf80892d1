import type { INestApplication } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { execute, parse } from 'graphql';
import type { Logger } from '@concord/common';

/** Publishing a service's SDL to governance's schema registry when it starts (ARCHITECTURE.md §7). */
export interface SchemaPublishOptions {
  /** the subgraph's name in the supergraph: crm, erp, psa, governance */
  subgraph: string;
  /** governance's origin, e.g. http://127.0.0.1:4010 */
  governanceUrl: string;
  /** GOVERNANCE_TOKEN, the services' shared secret */
  token?: string;
  /** where gateways reach this service (ROUTING_URL) */
  routingUrl: string;
  /** who publishes (SCHEMA_PUBLISH_AUTHOR), default `service:<subgraph>@<host>` */
  author: string;
  /** give up retrying an unreachable registry after this long (default 10 min) */
  retryForMs?: number;
}

export type SchemaPublishOutcome =
  | { outcome: 'published'; version: number; supergraphVersion: number | null; unchanged: boolean }
  | { outcome: 'rejected'; version: number | undefined; reasons: string[] }
  | { outcome: 'failed'; reason: string };

const SERVICE_SDL = parse('{ _service { sdl } }');

/** The service's federation SDL, exactly as `{ _service { sdl } }` answers it (and schema.graphql holds it). */
export async function serviceSdl(app: INestApplication): Promise<string> {
  const { schema } = app.get(GraphQLSchemaHost);
  const result = await execute({ schema, document: SERVICE_SDL, contextValue: { req: { headers: {} } } });
  const sdl = (result.data as { _service?: { sdl?: string } } | null | undefined)?._service?.sdl;
  if (!sdl) {
    throw new Error(`the service answered no SDL: ${result.errors?.map((error) => error.message).join('; ') ?? 'empty'}`);
  }
  return `${sdl.trim()}\n`;
}

/**
 * Publishes the service's SDL at start. The registry checks it like any publish: a failed check is logged with its
 * reasons (the service keeps serving; gateways keep the supergraph they have until a steward approves or a fixed
 * version is published). An unreachable registry is retried with backoff in the background, so a service never
 * waits for governance to start.
 */
export async function publishSchemaAtStart(
  app: INestApplication,
  options: SchemaPublishOptions,
  logger: Logger,
): Promise<SchemaPublishOutcome> {
  let sdl: string;
  try {
    sdl = await serviceSdl(app);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.error({ reason }, 'could not read the service SDL to publish');
    return { outcome: 'failed', reason };
  }
  const registry = options.governanceUrl.replace(/\/$/, '');
  const url = `${registry}/registry/publish`;
  const deadline = Date.now() + (options.retryForMs ?? 600_000);
  const body = JSON.stringify({ subgraph: options.subgraph, sdl, author: options.author, routingUrl: options.routingUrl });
  // the registry's JSON answers: a publish result, a check report or `{ error }`
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const post = async (target: string, payload: string): Promise<{ status: number; answer: any }> => {
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        body: payload,
        signal: AbortSignal.timeout(30_000),
      });
      return { status: response.status, answer: await response.json().catch(() => undefined) };
    } catch (error) {
      return { status: 0, answer: { error: { message: (error as { cause?: Error }).cause?.message ?? String(error) } } };
    }
  };
  const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6))));
  for (let attempt = 1; ; attempt++) {
    // Services start in any order: a schema that needs another's types (ERP's @requires on PSA's Project) composes
    // once that one is published. Until then (or the deadline) wait, rather than store a rejected version.
    // a probe, not a check worth keeping in the registry's checks history: the publish that follows is recorded
    const check = await post(`${registry}/registry/check`, JSON.stringify({ subgraph: options.subgraph, sdl, record: false }));
    if (check.status === 200 && check.answer?.composition?.ok === false && Date.now() < deadline) {
      if (attempt === 1 || attempt % 10 === 0) {
        logger.info(
          {
            subgraph: options.subgraph,
            errors: check.answer.composition.errors.map((error: { message: string }) => error.message).slice(0, 3),
          },
          'schema does not compose with the published ones yet: waiting for the other subgraphs to publish',
        );
      }
      await pause(Math.min(attempt, 3));
      continue;
    }
    const { status, answer } = check.status === 200 ? await post(url, body) : check;
    if (status === 200) {
      logger.info(
        { subgraph: options.subgraph, version: answer.version, supergraphVersion: answer.supergraphVersion, unchanged: answer.unchanged },
        answer.unchanged ? 'schema unchanged in the registry' : 'schema published to the registry',
      );
      return {
        outcome: 'published',
        version: answer.version,
        supergraphVersion: answer.supergraphVersion ?? null,
        unchanged: answer.unchanged,
      };
    }
    if (status === 409 && answer?.error?.report) {
      const reasons: string[] = answer.error.report.reasons ?? [];
      logger.error(
        { subgraph: options.subgraph, version: answer.error.version, reasons },
        'the registry rejected this schema: gateways keep serving the previous version until a data steward approves this one or a fixed one is published',
      );
      return { outcome: 'rejected', version: answer.error.version, reasons };
    }
    const reason = `${status ? `HTTP ${status}` : 'unreachable'}: ${answer?.error?.message ?? 'no answer'}`;
    // 4xx other than a failed check will not change by retrying (a bad token, a bad request)
    if ((status >= 400 && status < 500 && status !== 408 && status !== 429) || Date.now() > deadline) {
      logger.error({ subgraph: options.subgraph, url, reason }, 'could not publish the schema to the registry');
      return { outcome: 'failed', reason };
    }
    if (attempt === 1 || attempt % 10 === 0) {
      logger.warn({ subgraph: options.subgraph, url, reason, attempt }, 'schema registry not reachable yet: will retry');
    }
    await pause(attempt);
  }
}
