import { generateKeyPairSync } from 'node:crypto';
import { CONTEXT_TOKEN_HEADER, ContextTokenSigner, ContextTokenVerifier } from '@concord/policy';
import { ContextTokenHook, teamsOf } from '../context-token.hook';
import type { GatewayRequestContext, SubgraphRequest } from '../../pipeline/pipeline.types';

describe(teamsOf.name, () => {
  it('should take a list of strings and nothing else', () => {
    expect(teamsOf({ teams: ['emea-stewards', 'finance-data'] })).toEqual(['emea-stewards', 'finance-data']);
    expect(teamsOf({ teams: 'emea-stewards' })).toBeUndefined();
    expect(teamsOf({ teams: [1] })).toBeUndefined();
    expect(teamsOf({ teams: [] })).toBeUndefined();
    expect(teamsOf(undefined)).toBeUndefined();
  });
});

describe(ContextTokenHook.name, () => {
  it('should pass the caller JWT’s teams on to the subgraphs in the context token', () => {
    const keys = generateKeyPairSync('ed25519');
    const sut = new ContextTokenHook({ signer: new ContextTokenSigner(keys.privateKey) });
    const context = {
      correlationId: 'corr-1',
      caller: { sub: 'steward-ann', roles: ['data_steward'], claims: { teams: ['emea-stewards'] } },
      state: {},
    } as unknown as GatewayRequestContext;
    const request = { headers: {}, context } as unknown as SubgraphRequest;

    sut.beforeFetch(request);

    const verified = new ContextTokenVerifier(keys.publicKey).verify(request.headers[CONTEXT_TOKEN_HEADER] as string);
    expect(verified).toMatchObject({ sub: 'steward-ann', roles: ['data_steward'], teams: ['emea-stewards'] });
  });
});
