import { isJsonContentType, negotiateResponseType } from '../media-types';

describe(negotiateResponseType.name, () => {
  it.each([
    [undefined, 'application/graphql-response+json'],
    ['', 'application/graphql-response+json'],
    ['*/*', 'application/graphql-response+json'],
    ['application/*', 'application/graphql-response+json'],
    ['application/json', 'application/json'],
    ['application/graphql-response+json', 'application/graphql-response+json'],
    ['application/graphql-response+json, application/json', 'application/graphql-response+json'],
    ['application/json, application/graphql-response+json', 'application/json'],
    ['application/json;q=0.9, application/graphql-response+json', 'application/graphql-response+json'],
    ['application/graphql-response+json;q=0.5, application/json', 'application/json'],
    ['text/html, application/json;q=0.8, */*;q=0.1', 'application/json'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/graphql-response+json'],
    ['application/graphql-response+json; charset=utf-8', 'application/graphql-response+json'],
  ])('should answer Accept %j with %s', (accept, expected) => {
    expect(negotiateResponseType(accept)).toBe(expected);
  });

  it.each(['text/html', 'application/xml', 'application/json;q=0', 'image/*'])('should not find a type for Accept %j', (accept) => {
    expect(negotiateResponseType(accept)).toBeUndefined();
  });
});

describe(isJsonContentType.name, () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"'])('should accept %j', (type) => {
    expect(isJsonContentType(type)).toBe(true);
  });

  it.each([undefined, '', 'text/plain', 'application/graphql', 'application/json; charset=latin1', 'application/jsonx'])(
    'should not accept %j',
    (type) => {
      expect(isJsonContentType(type)).toBe(false);
    },
  );
});
