import { ANONYMOUS_OPERATION, GatewayMetrics, OTHER_CLIENT, OTHER_OPERATION, UNKNOWN_CLIENT } from '../gateway-metrics';

describe(GatewayMetrics.name, () => {
  it('should keep operation names as labels only up to the cap', () => {
    const sut = new GatewayMetrics({ maxOperationNames: 2, processMetrics: false });

    const labels = ['A', 'B', 'C', 'A', null].map((name) => sut.operationLabel(name));

    expect(labels).toEqual(['A', 'B', OTHER_OPERATION, 'A', ANONYMOUS_OPERATION]);
  });

  it('should count unknown error codes under OTHER', async () => {
    const sut = new GatewayMetrics({ processMetrics: false });

    sut.countError('FORBIDDEN_FIELD');
    sut.countError('SOME_VENDOR_CODE_1234');
    sut.countError(undefined);

    const text = await sut.render();
    expect(text).toContain('concord_gateway_errors_total{code="FORBIDDEN_FIELD"} 1');
    expect(text).toContain('concord_gateway_errors_total{code="OTHER"} 2');
    expect(text).not.toContain('SOME_VENDOR_CODE_1234');
  });

  it('should record operation and subgraph latencies with their labels', async () => {
    const sut = new GatewayMetrics({ processMetrics: false });

    sut.observeOperation('GetClient', 'query', 'ok', 0.012);
    sut.observeOperation('GetClient', 'query', 'ok', 0.02);
    sut.observeSubgraphFetch('crm', 'timeout', 2);

    const text = await sut.render();
    expect(text).toContain('concord_gateway_operation_duration_seconds_count{operation="GetClient",type="query",outcome="ok"} 2');
    expect(text).toContain('concord_gateway_subgraph_fetch_duration_seconds_count{subgraph="crm",outcome="timeout"} 1');
  });

  it('should keep client names as labels only up to the cap, and call requests without one unknown', async () => {
    const sut = new GatewayMetrics({ maxClientNames: 1, processMetrics: false });

    const labels = ['console', 'etl', undefined, 'console'].map((name) => sut.clientLabel(name));
    sut.countClientOperation(labels[0], 'ok');
    sut.countClientOperation(labels[1], 'rejected');

    expect(labels).toEqual(['console', OTHER_CLIENT, UNKNOWN_CLIENT, 'console']);
    const text = await sut.render();
    expect(text).toContain('concord_gateway_client_operations_total{client="console",outcome="ok"} 1');
    expect(text).toContain('concord_gateway_client_operations_total{client="__other",outcome="rejected"} 1');
  });

  it('should count failed subgraph fetches by subgraph and code, and shared fetches apart', async () => {
    const sut = new GatewayMetrics({ processMetrics: false });

    sut.observeSubgraphFetch('erp', 'timeout', 2, 'TIMEOUT');
    sut.observeSubgraphFetch('erp', 'error', 0.01, 'HTTP_5XX');
    sut.observeSubgraphFetch('erp', 'error', 0.01, 'HTTP_5XX');
    sut.observeSubgraphFetch('crm', 'ok', 0.01);
    sut.countSharedSubgraphFetch('crm');

    const text = await sut.render();
    expect(text).toContain('concord_gateway_subgraph_fetch_errors_total{subgraph="erp",code="TIMEOUT"} 1');
    expect(text).toContain('concord_gateway_subgraph_fetch_errors_total{subgraph="erp",code="HTTP_5XX"} 2');
    expect(text).not.toMatch(/concord_gateway_subgraph_fetch_errors_total\{subgraph="crm"/);
    expect(text).toContain('concord_gateway_subgraph_fetch_duration_seconds_count{subgraph="crm",outcome="ok"} 1');
    expect(text).toContain('concord_gateway_subgraph_fetches_shared_total{subgraph="crm"} 1');
  });

  it("should count the GraphQL errors of subgraphs' answers by code, unknown codes under OTHER", async () => {
    const sut = new GatewayMetrics({ processMetrics: false });

    sut.countSubgraphGraphQLErrors('psa', [
      { extensions: { code: 'FORBIDDEN_FIELD' } },
      { extensions: { code: 'FORBIDDEN_FIELD' } },
      { extensions: { code: 'VENDOR_SPECIFIC' } },
      {},
    ]);

    const text = await sut.render();
    expect(text).toContain('concord_gateway_subgraph_graphql_errors_total{subgraph="psa",code="FORBIDDEN_FIELD"} 2');
    expect(text).toContain('concord_gateway_subgraph_graphql_errors_total{subgraph="psa",code="OTHER"} 1');
    expect(text).toContain('concord_gateway_subgraph_graphql_errors_total{subgraph="psa",code="INTERNAL_SERVER_ERROR"} 1');
  });
});
