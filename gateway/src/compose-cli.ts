import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { gatewayConfig } from './config';
import { composeHeadersFor, contextSignerFrom } from './identity/gateway-identity';
import { composeFromSubgraphs } from './supergraph/compose';
import { supergraphOf } from './supergraph/supergraph';

const USAGE = `Composes the supergraph from the running subgraphs (CRM_URL, ERP_URL, PSA_URL) and writes it.
The SDL requests carry a service context token signed with CONTEXT_SIGNING_KEY (or the dev key in AUTH_DEV_KEYS_DIR).

usage: node gateway/dist/compose-cli.js [--out supergraph.graphql]
       (without --out the supergraph is written to stdout)`;

/** Writes a composed supergraph file, for SUPERGRAPH_PATH (production mode) and for other gateways. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config = gatewayConfig();
  // Concord's subgraphs answer only the gateway: sign a service context token when a key is configured
  const signer = contextSignerFrom(config.identity);
  const composed = await composeFromSubgraphs({
    subgraphs: config.subgraphs,
    timeoutMs: config.composeTimeoutMs,
    headers: signer ? composeHeadersFor(signer, config.composeTimeoutMs) : undefined,
    onRetry: (endpoint, attempt, reason) => {
      if (attempt === 1 || attempt % 5 === 0) {
        console.error(`waiting for subgraph ${endpoint.name} (${endpoint.url}): ${reason}`);
      }
    },
  });
  const supergraph = supergraphOf(composed.supergraphSdl, 'composed');
  if (values.out) {
    await writeFile(values.out, composed.supergraphSdl);
    console.error(
      `supergraph ${supergraph.hash.slice(0, 12)} (${supergraph.subgraphs.map((subgraph) => subgraph.name).join(', ')}) written to ${values.out}`,
    );
  } else {
    process.stdout.write(composed.supergraphSdl);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
