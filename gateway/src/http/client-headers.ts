/** How clients identify themselves (Apollo's header names, which client libraries already send). */
export const CLIENT_NAME_HEADER = 'apollographql-client-name';
export const CLIENT_VERSION_HEADER = 'apollographql-client-version';

/** A client header's value, trimmed and at most 128 characters; undefined when absent or blank. */
export function clientHeader(value: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text.slice(0, 128) : undefined;
}
