import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { InvocationContext } from '@azure/functions';
import * as api from '@opentelemetry/api';
import * as df from 'durable-functions';
import { durableClientBinding } from '../../../../runtime/durable/binding';
import { runInOtelTrace } from '../../../../shared/platform/otel-context';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('runInOtelTrace', () => {
  it('should make the trace the active context that propagation writes out', () => {
    const carrier: Record<string, string> = {};
    runInOtelTrace(PARENT, () => api.propagation.inject(api.context.active(), carrier));
    assert.equal(carrier.traceparent, PARENT);
  });

  it('should keep the trace across awaits and leave no trace behind', async () => {
    const inside = await runInOtelTrace(PARENT, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return api.trace.getSpanContext(api.context.active())?.traceId;
    });
    assert.equal(inside, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(api.trace.getSpanContext(api.context.active()), undefined);
  });

  it('should run a malformed traceparent as is', () => {
    assert.equal(runInOtelTrace('not-a-trace', () => api.trace.getSpanContext(api.context.active())), undefined);
  });

  it('should let the durable client send the trace with startNew', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.traceparent as string | undefined);
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'i-1' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      // The real client, built by df.getClient from the binding value the local runtime hands out.
      const input = df.input.durableClient();
      const context = new InvocationContext({ options: { extraInputs: [input] } });
      context.extraInputs.set(input, durableClientBinding(`http://127.0.0.1:${port}`, 'Hub'));
      const client = df.getClient(context);
      await runInOtelTrace(PARENT, () => client.startNew('anything', { instanceId: 'i-1', input: { a: 1 } }));
      await client.startNew('anything', { instanceId: 'i-2' });
      assert.deepEqual(seen, [PARENT, undefined]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
