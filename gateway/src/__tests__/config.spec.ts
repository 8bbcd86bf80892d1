import { gatewayConfig } from '../config';

describe('gatewayConfig', () => {
  it('should default to port 4000 on 127.0.0.1, the three local subgraphs and governance', () => {
    const config = gatewayConfig({});

    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      subgraphTimeoutMs: 10_000,
      subgraphTimeouts: {},
      maxBodyBytes: 1_048_576,
      supergraphPath: undefined,
      dedupeSubgraphQueries: true,
      coalesceQueries: true,
    });
    expect(config.subgraphs).toEqual([
      { name: 'crm', url: 'http://127.0.0.1:4001/graphql' },
      { name: 'erp', url: 'http://127.0.0.1:4002/graphql' },
      { name: 'psa', url: 'http://127.0.0.1:4003/graphql' },
      { name: 'governance', url: 'http://127.0.0.1:4010/graphql' },
    ]);
    expect(config.policy).toEqual({
      enabled: true,
      governanceUrl: 'http://127.0.0.1:4010',
      policyPath: undefined,
      cacheFile: '.data/policy/gateway-bundle.json',
      pollMs: 2_000,
      mode: 'filter',
      usageReporting: true,
      usageReportMs: 10_000,
      requireClientName: false,
      safelist: 'off',
      safelistPollMs: 5_000,
    });
  });

  it('should follow governance’s operation safelist only when SAFELIST says so, and never without governance', () => {
    expect(gatewayConfig({ SAFELIST: 'on', SAFELIST_POLL_MS: '1000' }).policy).toMatchObject({ safelist: 'on', safelistPollMs: 1_000 });
    expect(gatewayConfig({ SAFELIST: 'report' }).policy.safelist).toBe('report');

    expect(() => gatewayConfig({ SAFELIST: 'strict' })).toThrow(/SAFELIST/);
    expect(() => gatewayConfig({ SAFELIST: 'on', GOVERNANCE: 'off' })).toThrow(/SAFELIST: SAFELIST=on .* GOVERNANCE=off/);
    expect(() => gatewayConfig({ SAFELIST: 'report', POLICY_PATH: '/etc/concord/policy.json' })).toThrow(/SAFELIST: .*POLICY_PATH/);
  });

  it('should take the policy from a file, or enforce none only with GOVERNANCE=off, without composing governance', () => {
    const fromFile = gatewayConfig({ POLICY_PATH: '/etc/concord/policy.json', FIELD_POLICY_MODE: 'reject' });
    expect(fromFile.policy).toMatchObject({ enabled: true, policyPath: '/etc/concord/policy.json', mode: 'reject' });
    expect(fromFile.subgraphs.map((subgraph) => subgraph.name)).toEqual(['crm', 'erp', 'psa']);

    const off = gatewayConfig({ GOVERNANCE: 'off' });
    expect(off.policy.enabled).toBe(false);
    expect(off.subgraphs.map((subgraph) => subgraph.name)).toEqual(['crm', 'erp', 'psa']);

    expect(() => gatewayConfig({ FIELD_POLICY_MODE: 'lenient' })).toThrow(/FIELD_POLICY_MODE/);
    expect(() => gatewayConfig({ GOVERNANCE: 'maybe' })).toThrow(/GOVERNANCE/);
  });

  it('should follow the schema registry when governance is on, else compose, unless told or given a file', () => {
    expect(gatewayConfig({})).toMatchObject({ supergraphSource: 'registry', supergraphPollMs: 2_000 });
    expect(gatewayConfig({ GOVERNANCE: 'off' }).supergraphSource).toBe('compose');
    expect(gatewayConfig({ POLICY_PATH: '/etc/concord/policy.json' }).supergraphSource).toBe('compose');
    expect(gatewayConfig({ SUPERGRAPH_SOURCE: 'compose', SUPERGRAPH_POLL_MS: '500' })).toMatchObject({
      supergraphSource: 'compose',
      supergraphPollMs: 500,
    });
    expect(gatewayConfig({ SUPERGRAPH_PATH: '/etc/concord/supergraph.graphql' }).supergraphSource).toBe('file');
    expect(() => gatewayConfig({ SUPERGRAPH_SOURCE: 'git' })).toThrow(/SUPERGRAPH_SOURCE/);
  });

  it('should report SLA samples to governance every 5 s by default, and not when following a file or governance is off', () => {
    expect(gatewayConfig({ GOVERNANCE_TOKEN: 't0ken' }).sla).toEqual({
      enabled: true,
      governanceUrl: 'http://127.0.0.1:4010',
      governanceToken: 't0ken',
      reportMs: 5_000,
    });
    expect(gatewayConfig({ POLICY_PATH: '/etc/concord/policy.json' }).sla.enabled).toBe(false);
    expect(gatewayConfig({ GOVERNANCE: 'off' }).sla.enabled).toBe(false);
    expect(gatewayConfig({ SLA_REPORTING: 'off' }).sla.enabled).toBe(false);
    expect(gatewayConfig({ GOVERNANCE: 'off', SLA_REPORTING: 'on', SLA_REPORT_MS: '1000' }).sla).toMatchObject({
      enabled: true,
      reportMs: 1_000,
    });
  });

  it('should send client usage every USAGE_REPORT_MS, or not at all with USAGE_REPORTING=off', () => {
    expect(gatewayConfig({ USAGE_REPORT_MS: '250' }).policy).toMatchObject({ usageReporting: true, usageReportMs: 250 });
    expect(gatewayConfig({ USAGE_REPORTING: 'off' }).policy.usageReporting).toBe(false);
  });

  it('should take PORT over GATEWAY_PORT, and GATEWAY_PORT alone', () => {
    expect(gatewayConfig({ PORT: '5000', GATEWAY_PORT: '6000' }).port).toBe(5000);
    expect(gatewayConfig({ GATEWAY_PORT: '6000' }).port).toBe(6000);
  });

  it('should read per-subgraph timeouts', () => {
    const config = gatewayConfig({ SUBGRAPH_TIMEOUT_MS: '3000', SUBGRAPH_TIMEOUTS: 'erp=2000, psa=5000' });

    expect(config.subgraphTimeoutMs).toBe(3000);
    expect(config.subgraphTimeouts).toEqual({ erp: 2000, psa: 5000 });
  });

  it('should treat an empty SUPERGRAPH_PATH as unset', () => {
    expect(gatewayConfig({ SUPERGRAPH_PATH: '' }).supergraphPath).toBeUndefined();
    expect(gatewayConfig({ SUPERGRAPH_PATH: 'supergraph.graphql' }).supergraphPath).toBe('supergraph.graphql');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ ERP_URL: 'not a url' }, 'ERP_URL'],
    [{ SUBGRAPH_TIMEOUTS: 'erp:2000' }, 'SUBGRAPH_TIMEOUTS'],
    [{ MAX_BODY_BYTES: '0' }, 'MAX_BODY_BYTES'],
    [{ SUBGRAPH_DEDUPE: 'maybe' }, 'SUBGRAPH_DEDUPE'],
    [{ SLA_REPORTING: 'yes' }, 'SLA_REPORTING'],
    [{ SLA_REPORT_MS: '0' }, 'SLA_REPORT_MS'],
    [{ USAGE_REPORT_MS: '0' }, 'USAGE_REPORT_MS'],
  ])('should not start with a bad value, naming the variable (%j)', (env, variable) => {
    expect(() => gatewayConfig(env)).toThrow(new RegExp(`Invalid configuration:\\n  ${variable}: `));
  });
});
