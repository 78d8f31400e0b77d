/**
 * Scalar's self-contained browser bundle behind `/api/docs/scalar.js`. `@scalar/api-reference` is a
 * dev dependency (its tree is ~170 MB, none of it runs on the server): `npm run package` copies this
 * one file to `packaged`; a checkout serves it from `installed`.
 */
export const SCALAR_BUNDLE = {
  packaged: 'web/docs/vendor/scalar-standalone.js',
  installed: 'node_modules/@scalar/api-reference/dist/browser/standalone.js',
} as const;
