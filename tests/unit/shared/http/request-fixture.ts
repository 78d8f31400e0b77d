import { HttpRequest, HttpResponse, type HttpResponseInit, InvocationContext } from '@azure/functions';

export interface LogLine {
  level: string;
  args: unknown[];
}

/** A real InvocationContext whose log lines are kept for assertions. */
export function contextWithLog(functionName = 'testFunction'): { context: InvocationContext; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const context = new InvocationContext({
    invocationId: 'inv-1',
    functionName,
    logHandler: (level, ...args) => lines.push({ level, args }),
  });
  return { context, lines };
}

export function request(
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: string; params?: Record<string, string> } = {},
): HttpRequest {
  return new HttpRequest({
    method: init.method ?? 'GET',
    url: `http://localhost:7071${init.path ?? '/api/test'}`,
    headers: init.headers ?? {},
    ...(init.body !== undefined ? { body: { string: init.body } } : {}),
    ...(init.params ? { params: init.params } : {}),
  });
}

/** Reads a wrapped handler's response as a client would, through the SDK's own HttpResponse. */
export async function responseParts(result: HttpResponseInit | HttpResponse | void) {
  const response = result instanceof HttpResponse ? result : new HttpResponse(result ?? {});
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}
