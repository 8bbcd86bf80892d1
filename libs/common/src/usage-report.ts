/**
 * Client usage, as the gateway reports it to governance's schema registry (`POST /registry/usage`, body
 * `{ reports: UsageReport[] }`): one client version ran one operation `count` times between firstSeen and lastSeen.
 */
export interface UsageReport {
  /** `apollographql-client-name`, or `unknown` */
  clientName: string;
  /** `apollographql-client-version`, or `unknown` */
  clientVersion: string;
  operationHash: string;
  operationName: string | null;
  /** the field coordinates (`Type.field`) the operation selected */
  coordinates: string[];
  count: number;
  /** ISO-8601 instants */
  firstSeen: string;
  lastSeen: string;
}
