import type SharpDefault from 'sharp';

export type Sharp = typeof SharpDefault;

let loaded: Sharp | undefined;

/**
 * sharp loads libvips (tens of MB) when required; loading it only when an image
 * is first processed keeps it off the cold-start path of every function that
 * merely imports `shared/media`.
 */
export function loadSharp(): Sharp {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy
  loaded ??= require('sharp') as Sharp;
  return loaded;
}
