/**
 * The caller's IP as the platform reports it: the LAST hop of `x-forwarded-for`, the address
 * the platform's own front end (App Service / Flex Consumption, Azure Front Door) appended when
 * the connection reached it, else `client-ip`. Every earlier entry was sent by the caller and
 * can be forged, so it is never used (a forged first hop would let one client pose as many and
 * dodge the per-source limit on failed credentials). Azure's front ends append the client's
 * port (`203.0.113.7:52114`, `[2001:db8::1]:443`); it is dropped, so one client hashes to one value.
 */
import { isIP } from 'node:net';

/** Reads only what `Headers` offers, so both `HttpRequest.headers` and fetch headers fit. */
export interface HeaderSource {
  get(name: string): string | null;
}

export function callerIp(headers: HeaderSource): string | undefined {
  const forwarded = headers.get('x-forwarded-for')?.split(',').at(-1);
  return normaliseIp(forwarded) ?? normaliseIp(headers.get('client-ip') ?? undefined);
}

/** The bare address, or undefined when the value is not an IP (a header is caller-controlled). */
export function normaliseIp(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if (isIP(value)) return value.toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/i.exec(value)?.[1];
  if (bracketed && isIP(bracketed) === 6) return bracketed.toLowerCase();
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(value)?.[1];
  if (v4WithPort && isIP(v4WithPort) === 4) return v4WithPort;
  return undefined;
}
