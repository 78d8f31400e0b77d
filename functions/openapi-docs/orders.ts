import { z } from 'zod';
import { FUNCTIONS } from '../../shared/names';
import { documentRoute, type HttpMethod } from '../../shared/openapi/route-doc';
import { createOrderBodySchema, orderActionBodySchema } from '../../shared/orders/schemas';
import { idParams } from '../orders';
import { filePart, idempotencyKey, view } from './common';

const tags = ['Orders'];
const order = view({ id: z.string(), status: z.string(), amount: z.string(), currency: z.string() }, 'Order', {
  id: 'ord-7d2c', status: 'assigned', direction: 'payin', amount: '1000.00', currency: 'RUB', method: 'card', customerRef: 'c-42',
});
const orderProblems = { 400: ['bad-request'], 404: ['not-found'], 409: ['illegal-transition', 'order-id-conflict', 'insufficient-balance'] };

const doc = (fn: string, method: HttpMethod, path: string, summary: string, extra: Partial<Parameters<typeof documentRoute>[0]> = {}) =>
  documentRoute({ function: fn, method, path, summary, tags, auth: ['apiKey'], rateLimited: true, responses: { 200: { description: 'The order', schema: order } }, problems: orderProblems, ...extra });

for (const [direction, create, get, confirm] of [
  ['payins', FUNCTIONS.createPayin, FUNCTIONS.getPayin, FUNCTIONS.confirmPayin],
  ['payouts', FUNCTIONS.createPayout, FUNCTIONS.getPayout, FUNCTIONS.confirmPayout],
] as const) {
  doc(create, 'POST', `/api/v1/${direction}`, `Create a ${direction.slice(0, -1)}`, {
    headers: { ...idempotencyKey, 'Idempotency-Key': 'Required. ' + idempotencyKey['Idempotency-Key'] },
    body: { schema: createOrderBodySchema, example: { amount: '1000.00', currency: 'RUB', method: 'card', customerRef: 'c-42' } },
    responses: { 200: { description: 'Replayed Idempotency-Key', schema: order }, 201: { description: 'Created, status new', schema: order } },
    problems: { ...orderProblems, 400: ['bad-request', 'idempotency-key-required'] },
  });
  doc(get, 'GET', `/api/v1/${direction}/{id}`, `A ${direction.slice(0, -1)} as the merchant sees it`, { params: idParams });
  doc(confirm, 'POST', `/api/v1/${direction}/{id}/confirm`, direction === 'payins' ? 'The client paid' : "The trader's transfer arrived", {
    params: idParams,
    body: { contentType: 'multipart/form-data', required: false, schema: orderActionBodySchema.partial().extend({ receipt: filePart('JPEG, PNG or PDF, <= 10 MB').optional() }) },
  });
}
