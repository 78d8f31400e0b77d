/**
 * Documentation of routes registered before the OpenAPI work, one file per area (routes added
 * since document themselves next to their `app.http`). To document a route: call `documentRoute`
 * with its function name, method, path, auth, and the zod schemas its handler validates with.
 */
import './kyc';
import './orders';
import './staff';
import './privacy';
import './platform';
import './orders-self-service';
