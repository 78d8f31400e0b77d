/**
 * Predicates over `@azure/cosmos` errors, which carry the HTTP status in `code`.
 * Checking the shape instead of `instanceof ErrorResponse` keeps the SDK (~200 ms)
 * out of cold start for modules that only handle its errors.
 */
export function hasStatus(error: unknown, status: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === status;
}

export const isConflict = (error: unknown) => hasStatus(error, 409);
export const isPreconditionFailed = (error: unknown) => hasStatus(error, 412);
export const isNotFound = (error: unknown) => hasStatus(error, 404);
