import { ANONYMOUS_OPERATION, GatewayMetrics, OTHER_OPERATION } from '../gateway-metrics';

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
});
