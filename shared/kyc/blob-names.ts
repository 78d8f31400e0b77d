/**
 * Where a verification's media lives in the `kyc-media` container. Everything of one
 * verification shares the prefix `${tenantId}/${verificationId}/`, so erasure is one
 * prefix delete and the blob trigger can recover the verification from the name.
 */

export type MediaPart = 'document' | 'selfie' | 'selfie-video';

/** Ids that go into blob names: no `/`, no `..`, nothing a path could be smuggled through. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export const isSafeId = (value: string): boolean => SAFE_ID.test(value);

export const verificationPrefix = (tenantId: string, verificationId: string): string =>
  `${tenantId}/${verificationId}/`;

export const mediaBlobName = (tenantId: string, verificationId: string, part: MediaPart, ext: string): string =>
  `${verificationPrefix(tenantId, verificationId)}${part}.${ext}`;

/** Frame `index` (0-based) of a selfie video: `frames/00.jpg`, `frames/01.jpg`, … */
export const frameBlobName = (tenantId: string, verificationId: string, index: number): string =>
  `${verificationPrefix(tenantId, verificationId)}frames/${String(index).padStart(2, '0')}.jpg`;

/** Written last by POST; its blob trigger starts the pipeline (see `messages.ts`). */
export const manifestBlobName = (tenantId: string, verificationId: string): string =>
  `${verificationPrefix(tenantId, verificationId)}manifest.json`;

export interface ParsedMediaBlobName {
  tenantId: string;
  verificationId: string;
  /** `manifest` starts the pipeline; media and `frame` blobs trigger nothing. */
  part: MediaPart | 'frame' | 'manifest';
}

/**
 * Reads a blob name (optionally prefixed by the container, as blob triggers give it)
 * back into its verification; undefined for names this module did not make.
 */
export function parseMediaBlobName(name: string): ParsedMediaBlobName | undefined {
  const m = /^(?:kyc-media\/)?([^/]+)\/([^/]+)\/(document|selfie|selfie-video)\.[a-z0-9]+$/.exec(name);
  if (m?.[1] && m[2] && m[3] && isSafeId(m[1]) && isSafeId(m[2])) {
    return { tenantId: m[1], verificationId: m[2], part: m[3] as MediaPart };
  }
  const manifest = /^(?:kyc-media\/)?([^/]+)\/([^/]+)\/manifest\.json$/.exec(name);
  if (manifest?.[1] && manifest[2] && isSafeId(manifest[1]) && isSafeId(manifest[2])) {
    return { tenantId: manifest[1], verificationId: manifest[2], part: 'manifest' };
  }
  const f = /^(?:kyc-media\/)?([^/]+)\/([^/]+)\/frames\/\d+\.jpg$/.exec(name);
  if (f?.[1] && f[2] && isSafeId(f[1]) && isSafeId(f[2])) {
    return { tenantId: f[1], verificationId: f[2], part: 'frame' };
  }
  return undefined;
}
