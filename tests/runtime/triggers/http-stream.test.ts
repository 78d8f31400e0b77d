// Streaming is a process-wide library switch (app.setup), so it gets its own test file/process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHost, type StartedHost } from '../../../runtime/index';
import { memoryHostLog } from '../../../runtime/host-log';
import { httpExtension } from '../../../runtime/triggers/http';
import { fixture, tempAppDir } from '../local-storage';

describe('http trigger with enableHttpStream', () => {
  let host: StartedHost;

  before(async () => {
    host = await startHost({ appDir: tempAppDir(), main: fixture('stream-app'), port: 0, extensions: [httpExtension()], log: memoryHostLog() });
  });
  after(() => host.stop());

  it('should hand the request body to the handler as a stream', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(64 * 1024));
        controller.close();
      },
    });
    const response = await fetch(`${host.origin}/api/stream/count/big?q=1`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-tag'), 'big');
    const result = (await response.json()) as { bytes: number; chunks: number; q: string };
    assert.equal(result.bytes, 256 * 1024);
    assert.equal(result.q, '1');
  });

  it('should stream a response body', async () => {
    const response = await fetch(`${host.origin}/api/stream/ticker`);
    assert.equal(await response.text(), 'tick 0\ntick 1\ntick 2\n');
  });

  it('should answer 500 when a streaming handler throws', async () => {
    const response = await fetch(`${host.origin}/api/stream/boom`);
    assert.equal(response.status, 500);
  });
});
