import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { createContext, useCallback, useContext, type ReactNode } from 'react';
import { useSession } from '../auth/session-context';
import { GraphQLRequestError, requestGraphQL, type GraphQLResult } from './graphql';

const GatewayContext = createContext<string | null>(null);

export function GatewayProvider({ url, children }: { url: string | null; children: ReactNode }) {
  return <GatewayContext.Provider value={url}>{children}</GatewayContext.Provider>;
}

/** A function that runs an operation as the signed-in user; a 401 signs them out. */
export function useGraphQLRequest() {
  const url = useContext(GatewayContext);
  const { session, signOut } = useSession();
  return useCallback(
    async <T,>(query: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<GraphQLResult<T>> => {
      if (!url) {
        throw new GraphQLRequestError('governance has no CONSOLE_GATEWAY_URL: the console cannot reach the graph', 'NO_GATEWAY', 0);
      }
      if (!session) {
        throw new GraphQLRequestError('not signed in', 'UNAUTHENTICATED', 401);
      }
      try {
        return await requestGraphQL<T>(query, variables, { url, token: session.token, signal });
      } catch (error) {
        if (error instanceof GraphQLRequestError && error.code === 'UNAUTHENTICATED') {
          signOut('Your session ended: sign in again.');
        }
        throw error;
      }
    },
    [url, session, signOut],
  );
}

/** A query of the graph, cached per operation, variables and user. */
export function useGraphQL<T>(
  query: string,
  variables?: Record<string, unknown>,
  options: Omit<UseQueryOptions<GraphQLResult<T>, Error>, 'queryKey' | 'queryFn'> = {},
) {
  const request = useGraphQLRequest();
  const { session } = useSession();
  return useQuery<GraphQLResult<T>, Error>({
    queryKey: ['graphql', session?.sub, query, variables],
    queryFn: ({ signal }) => request<T>(query, variables, signal),
    ...options,
  });
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * A Relay connection read page by page (no cap: the user loads more until the end). `connectionOf` picks the
 * connection out of the answer; `after` goes in the variables.
 */
export function useConnection<T, N, C extends { edges: { node: N }[]; pageInfo: PageInfo } = { edges: { node: N }[]; pageInfo: PageInfo }>(
  query: string,
  variables: Record<string, unknown>,
  connectionOf: (data: T) => C,
) {
  const request = useGraphQLRequest();
  const { session } = useSession();
  const result = useInfiniteQuery({
    queryKey: ['graphql-connection', session?.sub, query, variables],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => {
      const { data } = await request<T>(query, { ...variables, after: pageParam }, signal);
      return connectionOf(data);
    },
    getNextPageParam: (page) => (page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null),
  });
  const nodes = result.data?.pages.flatMap((page) => page.edges.map((edge) => edge.node)) ?? [];
  // the last page read: what a connection says beside its edges (totals) is freshest there
  const latest: C | undefined = result.data?.pages[result.data.pages.length - 1];
  return { ...result, nodes, latest };
}

/** A mutation; afterwards every cached query of the graph is read again. */
export function useGraphQLMutation<T, V extends Record<string, unknown>>(mutation: string) {
  const request = useGraphQLRequest();
  const queryClient = useQueryClient();
  return useMutation<GraphQLResult<T>, Error, V>({
    mutationFn: (variables) => request<T>(mutation, variables),
    onSuccess: () => queryClient.invalidateQueries({ predicate: (query) => String(query.queryKey[0]).startsWith('graphql') }),
  });
}
