// Contender (c), Hive Gateway: like the bare gateway, it sends the subgraphs one static context token
// (CONCORD_CONTEXT_TOKEN) on every fetch, all they need to answer.
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  transportEntries: {
    '*.http': { headers: [['x-concord-context', process.env.CONCORD_CONTEXT_TOKEN ?? '']] },
  },
});
