import { z } from 'zod';
import { FUNCTIONS } from '../../shared/names';
import { documentRoute } from '../../shared/openapi/route-doc';
import { erasureBody, erasureIdParams, exportQuery } from '../privacy';
import { view } from './common';

const tags = ['Privacy'];
const erasure = view({ id: z.string(), status: z.enum(['pending', 'completed']) }, 'SubjectErasure');
const exported = view({ subjectRef: z.string(), generatedAt: z.string(), verifications: z.array(z.unknown()), orders: z.array(z.unknown()) }, 'SubjectExport');

documentRoute({
  function: FUNCTIONS.createErasure, method: 'POST', path: '/api/v1/privacy/erasures', tags, auth: ['apiKey'], body: { schema: erasureBody },
  summary: "Erase every verification of a subject and anonymise the subject's orders",
  responses: { 202: { description: 'Erasure started', schema: erasure } },
});
documentRoute({
  function: FUNCTIONS.getErasure, method: 'GET', path: '/api/v1/privacy/erasures/{id}', tags, auth: ['apiKey'], params: erasureIdParams,
  summary: 'Progress and receipt of a subject erasure', responses: { 200: { description: 'The erasure', schema: erasure } }, problems: { 404: ['not-found'] },
});
for (const method of ['GET', 'POST'] as const) {
  documentRoute({
    function: FUNCTIONS.exportSubjectData, method, path: '/api/v1/privacy/exports', tags, auth: ['apiKey'],
    ...(method === 'GET' ? { query: exportQuery } : { body: { schema: erasureBody } }),
    summary: method === 'GET' ? "Export a subject's data" : "Export a subject's data (ref in the body, out of URLs)",
    responses: { 200: { description: 'Everything held about the subject, with short-lived download links', schema: exported } },
  });
}
