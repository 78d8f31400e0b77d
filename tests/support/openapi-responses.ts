/**
 * Real responses seen by e2e tests, kept for the OpenAPI conformance check: each e2e file that
 * records them validates them against `GET /api/openapi.json` (tests/support/openapi-conformance.ts).
 */
export interface RecordedResponse {
  method: string;
  /** Path with query, as called (`/api/v1/webhooks/endpoints?tenantId=demo-a`). */
  route: string;
  status: number;
  contentType: string | null;
  body: string;
}

const recorded: RecordedResponse[] = [];

export function recordResponse(response: RecordedResponse): void {
  recorded.push(response);
}

export const recordedResponses = (): readonly RecordedResponse[] => recorded;
