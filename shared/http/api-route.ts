/**
 * host.json sets `extensions.http.routePrefix` to "" so that the capture page can live at `/app/`
 * (the URL); every API route therefore names its `api/` prefix itself, through this one
 * helper, and its URL stays `/api/...`. Register every API route as
 * `app.http(FUNCTIONS.x, { route: apiRoute('v1/things/{id}'), ... })`; a route registered without
 * it answers at `/v1/...` and the OpenAPI contract test names it.
 */
export const API_ROUTE_PREFIX = 'api';

/** `v1/things/{id}` → `api/v1/things/{id}` (the route template `app.http` takes). */
export const apiRoute = (route: string): string => `${API_ROUTE_PREFIX}/${route.replace(/^\/+/, '')}`;
