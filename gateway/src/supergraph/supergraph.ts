import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Kind, parse, type ConstArgumentNode } from 'graphql';
import type { SubgraphEndpoint } from '../config';

export type SupergraphSourceKind = 'composed' | 'file' | 'registry';

/** A loaded supergraph: its SDL, where it came from, a content hash and the subgraphs it routes to. */
export interface LoadedSupergraph {
  sdl: string;
  source: SupergraphSourceKind;
  hash: string;
  subgraphs: SubgraphEndpoint[];
  /** the schema registry's supergraph version (source `registry`) */
  version?: number;
}

function stringArgument(args: readonly ConstArgumentNode[] | undefined, name: string): string | undefined {
  const value = args?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** Reads the subgraph names and URLs a supergraph routes to (`enum join__Graph { X @join__graph(name:, url:) }`). */
export function subgraphsOfSupergraph(sdl: string): SubgraphEndpoint[] {
  const document = parse(sdl, { noLocation: true });
  const subgraphs: SubgraphEndpoint[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') {
      continue;
    }
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((candidate) => candidate.name.value === 'join__graph');
      const name = stringArgument(directive?.arguments, 'name');
      const url = stringArgument(directive?.arguments, 'url');
      if (name !== undefined && url !== undefined) {
        subgraphs.push({ name, url });
      }
    }
  }
  return subgraphs;
}

export function supergraphOf(sdl: string, source: SupergraphSourceKind, version?: number): LoadedSupergraph {
  return {
    sdl,
    source,
    hash: createHash('sha256').update(sdl).digest('hex'),
    subgraphs: subgraphsOfSupergraph(sdl),
    ...(version !== undefined ? { version } : {}),
  };
}

/** Loads a composed supergraph file (production mode); fails with a message naming the file. */
export async function readSupergraphFile(path: string): Promise<LoadedSupergraph> {
  let sdl: string;
  try {
    sdl = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read SUPERGRAPH_PATH ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let supergraph: LoadedSupergraph;
  try {
    supergraph = supergraphOf(sdl, 'file');
  } catch (error) {
    throw new Error(`SUPERGRAPH_PATH ${path} is not a valid supergraph: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!supergraph.subgraphs.length) {
    throw new Error(`SUPERGRAPH_PATH ${path} is not a supergraph: it declares no subgraphs (join__Graph)`);
  }
  for (const subgraph of supergraph.subgraphs) {
    if (!/^https?:\/\//.test(subgraph.url)) {
      throw new Error(`SUPERGRAPH_PATH ${path}: subgraph "${subgraph.name}" has no http(s) url ("${subgraph.url}")`);
    }
  }
  return supergraph;
}
