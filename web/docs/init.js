// The reference reads the document this app serves; no CDN, no default web fonts.
Scalar.createApiReference('#app', {
  url: '/api/openapi.json',
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
});
