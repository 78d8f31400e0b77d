import { z } from 'zod';

/** A JSON object whose listed fields are checked; others may follow (views owned by other areas). */
export const view = (shape: z.ZodRawShape, id: string, example?: Record<string, unknown>) =>
  z.object(shape).loose().meta({ id, ...(example ? { example } : {}) });

/** A page of a staff list: `{ items, continuation? }`. */
export const page = (item: z.ZodType, id: string) => z.object({ items: z.array(item), continuation: z.string().optional() }).loose().meta({ id });

/** A binary file part of a multipart body (OpenAPI 3.1 style). */
export const filePart = (description: string) => z.string().meta({ contentMediaType: 'application/octet-stream', description });

export const idempotencyKey = { 'Idempotency-Key': 'Same key and body: the same result; a different body: 409' };
