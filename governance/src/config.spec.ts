import { subgraphTargetsOf } from './app.module';
import { governanceConfig } from './config';

describe('governanceConfig', () => {
  const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/concord' };

  it('should apply the documented defaults', () => {
    const config = governanceConfig(base);

    expect(config).toMatchObject({
      GOVERNANCE_PORT: 4010,
      HOST: '127.0.0.1',
      GOVERNANCE_JOBS: 'on',
      SUBGRAPH_PROBE_TIMEOUT_MS: 2000,
      DB_POOL_SIZE: 5,
      AUDIT_CHECKPOINT_EVERY: 1000,
      AUDIT_KEY_DIR: '.data/keys',
    });
    expect(config.AUDIT_SIGNING_KEY).toBeUndefined();
  });

  it('should leave the GraphQL API and the export unconfigured without keys, and read the JWT settings as the gateway does', () => {
    const config = governanceConfig({ ...base, CONTEXT_VERIFY_KEY: '', JWT_PUBLIC_KEY: '' });

    expect(config).toMatchObject({ JWT_ISSUER: 'concord-dev', JWT_AUDIENCE: 'concord' });
    expect([config.CONTEXT_VERIFY_KEY, config.JWT_PUBLIC_KEY, config.JWT_JWKS_URL]).toEqual([undefined, undefined, undefined]);
    expect(() => governanceConfig({ ...base, JWT_JWKS_URL: 'not a url' })).toThrow(/JWT_JWKS_URL/);
  });

  it('should apply the SLA defaults and leave the webhook unset', () => {
    const config = governanceConfig(base);

    expect(config).toMatchObject({
      SLA_RETENTION_DAYS: 35,
      SLA_MIN_EVENTS: 10,
      SLA_WEBHOOK_MAX_ATTEMPTS: 8,
      SLA_WEBHOOK_BACKOFF_MS: 5000,
      SLA_WEBHOOK_TIMEOUT_MS: 5000,
    });
    expect([config.SLA_WEBHOOK_URL, config.SLA_WEBHOOK_SECRET]).toEqual([undefined, undefined]);
  });

  it('should not accept an SLA webhook URL that is not a URL, nor a retention of 0 days', () => {
    expect(() => governanceConfig({ ...base, SLA_WEBHOOK_URL: 'alerts' })).toThrow(/SLA_WEBHOOK_URL/);
    expect(() => governanceConfig({ ...base, SLA_RETENTION_DAYS: '0' })).toThrow(/SLA_RETENTION_DAYS/);
  });

  it('should keep client usage 90 days by default, and never less than the usage window checks read', () => {
    expect(governanceConfig(base)).toMatchObject({ REGISTRY_USAGE_WINDOW_DAYS: 7, REGISTRY_USAGE_RETENTION_DAYS: 90 });
    expect(governanceConfig({ ...base, REGISTRY_USAGE_WINDOW_DAYS: '30', REGISTRY_USAGE_RETENTION_DAYS: '30' })).toMatchObject({
      REGISTRY_USAGE_RETENTION_DAYS: 30,
    });

    expect(() => governanceConfig({ ...base, REGISTRY_USAGE_WINDOW_DAYS: '30', REGISTRY_USAGE_RETENTION_DAYS: '29' })).toThrow(
      /REGISTRY_USAGE_RETENTION_DAYS: must be at least REGISTRY_USAGE_WINDOW_DAYS \(30\)/,
    );
    expect(() => governanceConfig({ ...base, REGISTRY_USAGE_RETENTION_DAYS: '0' })).toThrow(/REGISTRY_USAGE_RETENTION_DAYS/);
  });

  it('should not start without DATABASE_URL, naming the variable', () => {
    expect(() => governanceConfig({})).toThrow(/DATABASE_URL/);
  });

  it('should not accept a GOVERNANCE_JOBS other than on or off', () => {
    expect(() => governanceConfig({ ...base, GOVERNANCE_JOBS: 'yes' })).toThrow(/GOVERNANCE_JOBS/);
  });

  it('should not accept an AUDIT_CHECKPOINT_EVERY below 1', () => {
    expect(() => governanceConfig({ ...base, AUDIT_CHECKPOINT_EVERY: '0' })).toThrow(/AUDIT_CHECKPOINT_EVERY/);
  });

  it('should not accept a subgraph URL that is not a URL', () => {
    expect(() => governanceConfig({ ...base, CRM_URL: 'localhost 4001' })).toThrow(/CRM_URL/);
  });

  it('should probe the three subgraphs at their default URLs', () => {
    expect(subgraphTargetsOf(governanceConfig(base)).map((target) => target.routingUrl)).toEqual([
      'http://127.0.0.1:4001/graphql',
      'http://127.0.0.1:4002/graphql',
      'http://127.0.0.1:4003/graphql',
    ]);
  });

  it('should not probe a subgraph whose URL is set empty', () => {
    const config = governanceConfig({ ...base, CRM_URL: 'http://crm.internal:8080/graphql', ERP_URL: '' });

    expect(subgraphTargetsOf(config)).toEqual([
      { name: 'crm', routingUrl: 'http://crm.internal:8080/graphql' },
      { name: 'psa', routingUrl: 'http://127.0.0.1:4003/graphql' },
    ]);
  });
});
