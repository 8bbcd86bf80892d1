import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import type { DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from '@concord/common';
import { createErrorFormatter } from './format-error';

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The GraphQL endpoint every Concord Nest service serves as a Federation 2 subgraph (crm, erp, psa, governance):
 * code-first schema at /graphql, coded errors without stacks, the HTTP request in the context. `orphanedTypes`
 * are entity types no field of the subgraph returns, which it extends for `_entities` only.
 */
export function federationGraphQLModule(logger: Logger, orphanedTypes: Function[] = []): DynamicModule {
  return GraphQLModule.forRoot<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    autoSchemaFile: { federation: 2 },
    buildSchemaOptions: { orphanedTypes },
    sortSchema: true,
    path: '/graphql',
    playground: false,
    introspection: true,
    csrfPrevention: false,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(logger),
    context: ({ req }: { req: HttpRequest }) => ({ req }),
    // Traces are for Apollo's usage reporting and cache hints for response caches; Concord uses neither, and
    // both instrument every resolved field.
    // (cast: @nestjs/apollo is typed against @apollo/server's ESM build, this file against its CJS build)
    plugins: [ApolloServerPluginInlineTraceDisabled() as never, ApolloServerPluginCacheControlDisabled() as never],
  });
}
