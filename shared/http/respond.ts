import type { HttpResponseInit } from '@azure/functions';

/** A JSON response; `body` is serialised here so the content type is always ours. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export const ok = (body: unknown, headers?: Record<string, string>) => json(200, body, headers);

/** 201 with a Location header pointing at the new resource. */
export const created = (location: string, body: unknown, headers: Record<string, string> = {}) => json(201, body, { ...headers, location });

/** 202 for work that continues in the background; `location` is where to poll. */
export const accepted = (body: unknown, location?: string) =>
  json(202, body, location ? { location } : {});

export const noContent = (): HttpResponseInit => ({ status: 204 });
