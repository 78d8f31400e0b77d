/**
 * Reference data a platform admin manages: banks, payment methods and exchange
 * rates (documents in `reference-data`, partition `platform`). A PUT writes the
 * whole entry; selection and quotes see it within REFERENCE_CACHE_SECONDS (the
 * writing process's cache is cleared at once). A method listed in the
 * PAYMENT_METHODS setting but marked inactive here refuses new orders.
 */
import { z } from 'zod';
import { DomainError } from '../errors';
import type { OrderDeps } from './deps';
import { PLATFORM_TENANT, type BankDoc, type ExchangeRateDoc, type PaymentMethodDoc } from './documents';
import { bankId, exchangeRateId, paymentMethodId } from './reference-data';

export const REFERENCE_KINDS = ['banks', 'methods', 'rates'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

const code = z.string().regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, _ and -');
/** `BASE-QUOTE`, e.g. `USDT-RUB`: 1 BASE costs `rate` QUOTE. */
const ratePair = z.string().regex(/^[A-Z]{3,5}-[A-Z]{3,5}$/, 'BASE-QUOTE, e.g. USDT-RUB');

const bodies = {
  banks: z.object({ name: z.string().min(1).max(120), country: z.string().regex(/^[A-Z]{2}$/), active: z.boolean() }).strict(),
  methods: z.object({ name: z.string().min(1).max(120), active: z.boolean() }).strict(),
  rates: z.object({ rate: z.string().regex(/^(0|[1-9]\d{0,11})(\.\d{1,10})?$/, 'a positive decimal string') }).strict(),
} as const;

type ReferenceDoc = BankDoc | PaymentMethodDoc | ExchangeRateDoc;

const TYPES: Record<ReferenceKind, ReferenceDoc['type']> = { banks: 'bank', methods: 'payment-method', rates: 'exchange-rate' };

const invalid = (message: string, errors: { path: string; message: string }[]) => new DomainError('validation-failed', message, 400, { errors });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(`Invalid ${what}`, parsed.error.issues.map((i) => ({ path: i.path.join('.') || what, message: i.message })));
  return parsed.data;
}

/** Writes one entry; answers the stored document without Cosmos's system fields. */
export async function putReferenceData(deps: Pick<OrderDeps, 'store' | 'clock' | 'reference'>, kind: ReferenceKind, key: string, body: unknown): Promise<ReferenceDoc> {
  let doc: ReferenceDoc;
  if (kind === 'banks') {
    const b = parse(bodies.banks, body, 'bank');
    doc = { id: bankId(parse(code, key, 'bank code')), type: 'bank', tenantId: PLATFORM_TENANT, ...b };
  } else if (kind === 'methods') {
    const m = parse(bodies.methods, body, 'payment method');
    const c = parse(code, key, 'method code');
    doc = { id: paymentMethodId(c), type: 'payment-method', tenantId: PLATFORM_TENANT, code: c, ...m };
  } else {
    const [base, quote] = parse(ratePair, key, 'rate pair').split('-') as [string, string];
    if (base === quote) throw invalid('A rate needs two currencies', [{ path: 'pair', message: 'base and quote must differ' }]);
    doc = { id: exchangeRateId(base, quote), type: 'exchange-rate', tenantId: PLATFORM_TENANT, base, quote, rate: parse(bodies.rates, body, 'rate').rate, updatedAt: deps.clock.now().toISOString() };
  }
  await deps.store.referenceData.items.upsert(doc);
  deps.reference.clear();
  return doc;
}

/** Every entry of one kind, by id. */
export async function listReferenceData(deps: Pick<OrderDeps, 'store'>, kind: ReferenceKind): Promise<ReferenceDoc[]> {
  const { resources } = await deps.store.referenceData.items
    .query<ReferenceDoc>(
      {
        query: 'SELECT c.id, c.type, c.tenantId, c.name, c.country, c.active, c.code, c.base, c.quote, c.rate, c.updatedAt FROM c WHERE c.tenantId = @tenantId AND c.type = @type ORDER BY c.id',
        parameters: [
          { name: '@tenantId', value: PLATFORM_TENANT },
          { name: '@type', value: TYPES[kind] },
        ],
      },
      { partitionKey: PLATFORM_TENANT },
    )
    .fetchAll();
  return resources;
}
