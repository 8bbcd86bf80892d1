import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { GatewayProvider } from './api/client';
import { GraphQLRequestError } from './api/graphql';
import { SessionProvider, useSession } from './auth/session-context';
import type { ConsoleConfig } from './config';
import { createConsoleRouter } from './router';

function Routed({ config }: { config: ConsoleConfig }) {
  const { session } = useSession();
  const [router] = useState(() => createConsoleRouter({ config, session }));
  // signing in or out re-runs the routes' guards with the new session
  useEffect(() => {
    router.update({ ...router.options, context: { config, session } });
    void router.invalidate();
  }, [router, config, session]);
  return <RouterProvider router={router} context={{ config, session }} />;
}

export function App({ config }: { config: ConsoleConfig }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 30_000,
            refetchOnWindowFocus: false,
            // a refusal or a bad request will not change by asking again
            retry: (count, error) => count < 2 && !(error instanceof GraphQLRequestError && error.status >= 400 && error.status < 500),
          },
        },
      }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <GatewayProvider url={config.gatewayUrl}>
          <Routed config={config} />
        </GatewayProvider>
      </SessionProvider>
    </QueryClientProvider>
  );
}
