import { OTHER_CODE, codeLabel, hasTimeout, serviceFaultCode } from '../fault-codes';

describe('fault codes', () => {
  it('should not count errors that are only the caller’s fault as a service fault', () => {
    const errors = [
      { extensions: { code: 'FORBIDDEN_FIELD' } },
      { extensions: { code: 'NOT_FOUND' } },
      { extensions: { code: 'BAD_USER_INPUT' } },
    ];

    expect(serviceFaultCode(errors)).toBeUndefined();
  });

  it('should name the first service fault among caller faults', () => {
    const errors = [{ extensions: { code: 'FORBIDDEN_FIELD' } }, { extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'timeout' } }];

    expect(serviceFaultCode(errors)).toBe('SERVICE_UNAVAILABLE');
    expect(hasTimeout(errors)).toBe(true);
  });

  it('should treat a missing code as an internal error and an unknown one as OTHER', () => {
    expect(serviceFaultCode([{}])).toBe('INTERNAL_SERVER_ERROR');
    expect(serviceFaultCode([{ extensions: { code: 'SOMETHING_ELSE' } }])).toBe(OTHER_CODE);
    expect(codeLabel('DOWNSTREAM_SERVICE_ERROR')).toBe('DOWNSTREAM_SERVICE_ERROR');
    expect(hasTimeout([{ extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'unreachable' } }])).toBe(false);
  });
});
