// Contender (b): a bare @apollo/gateway behind Apollo Server's standalone server, no Concord code. It sends the
// subgraphs only what they need to answer: one static context token (CONCORD_CONTEXT_TOKEN), on every fetch.
// Usage: CONCORD_CONTEXT_TOKEN=<token> node bare-gateway.mjs <supergraph.graphql> <port>
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const [supergraphPath, port] = process.argv.slice(2);
const contextToken = process.env.CONCORD_CONTEXT_TOKEN;
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(supergraphPath, 'utf8'),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource({
      url,
      willSendRequest({ request }) {
        if (contextToken) {
          request.http?.headers.set('x-concord-context', contextToken);
        }
      },
    }),
});
const server = new ApolloServer({ gateway, csrfPrevention: false });
const { url } = await startStandaloneServer(server, { listen: { port: Number(port), host: '127.0.0.1' } });
console.log(`bare gateway ready at ${url}`);
