import { app } from '@azure/functions';
import { apiRoute } from '../shared/http/api-route';
import { z } from 'zod';
import { httpHandler, ok } from '../shared/http';
import { findUp, staticFiles } from '../shared/http/static-files';
import { FUNCTIONS } from '../shared/names';
import { SCALAR_BUNDLE } from '../shared/openapi/scalar-bundle';
import { buildOpenApiDocument } from '../shared/openapi/build-document';
import { documentedRoutes, documentRoute } from '../shared/openapi/route-doc';
import './openapi-docs';

let cached: Record<string, unknown> | undefined;
/** Built on first request, after every function file has registered and documented its routes. */
const openApiDocument = () => (cached ??= buildOpenApiDocument(documentedRoutes(), { version: '1.0.0' }));

app.http(FUNCTIONS.openApiDocument, {
  route: apiRoute('openapi.json'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: 'anonymous' }, async () => ok(openApiDocument(), { 'cache-control': 'no-cache', 'access-control-allow-origin': '*' })),
});

// The reference page: Scalar's standalone bundle (copied into the deployment package; from node_modules locally), no CDN. Scalar injects its styles at run time.
const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const docsFiles = staticFiles(
  {
    'index.html': { file: findUp('web/docs/index.html'), contentType: 'text/html; charset=utf-8' },
    'init.js': { file: findUp('web/docs/init.js'), contentType: 'text/javascript; charset=utf-8' },
    'scalar.js': { file: findUp(SCALAR_BUNDLE.packaged, SCALAR_BUNDLE.installed), contentType: 'text/javascript; charset=utf-8' },
  },
  { 'content-security-policy': DOCS_CSP },
);

app.http(FUNCTIONS.apiDocs, {
  route: apiRoute('docs'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: 'anonymous' }, async () => docsFiles('index.html')),
});

const assetParams = z.object({ file: z.enum(['init.js', 'scalar.js']) });
app.http(FUNCTIONS.apiDocsAsset, {
  route: apiRoute('docs/{file}'),
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: httpHandler({ auth: 'anonymous' }, async (call) => docsFiles(call.params(assetParams).file)),
});

const html = { description: 'HTML page', schema: z.string(), contentType: 'text/html' };
documentRoute({
  function: FUNCTIONS.openApiDocument, method: 'GET', path: '/api/openapi.json', tags: ['Reference'], auth: ['none'],
  summary: 'This OpenAPI 3.1 document',
  responses: { 200: { description: 'The document', schema: z.object({ openapi: z.string() }).loose() } },
});
documentRoute({
  function: FUNCTIONS.apiDocs, method: 'GET', path: '/api/docs', tags: ['Reference'], auth: ['none'],
  summary: 'Readable API reference (Scalar)', responses: { 200: html },
});
documentRoute({
  function: FUNCTIONS.apiDocsAsset, method: 'GET', path: '/api/docs/{file}', tags: ['Reference'], auth: ['none'], params: assetParams,
  summary: 'Scripts of the reference page', responses: { 200: { description: 'JavaScript', schema: z.string(), contentType: 'text/javascript' } },
  problems: { 404: ['not-found'] },
});
