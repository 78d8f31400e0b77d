import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import { startHost, type StartedHost } from '../../../runtime/index';
import { memoryHostLog } from '../../../runtime/host-log';
import { blobExtension } from '../../../runtime/triggers/blob';
import { fixtureEvents } from '../fixtures/fixture-events';
import { eventually, fixture, tempAppDir, uniqueSuffix, useAzurite, type TestStorage } from '../local-storage';

describe('blob trigger', () => {
  let storage: TestStorage;
  let uploads: ContainerClient;
  let poisonContainer: ContainerClient;
  let settings: Record<string, string>;
  const suffix = uniqueSuffix();
  const poisonQueue = `poison-${suffix}`;

  before(async () => {
    storage = await useAzurite();
    const service = BlobServiceClient.fromConnectionString(storage.connectionString);
    uploads = service.getContainerClient(`uploads-${suffix}`);
    poisonContainer = service.getContainerClient(`failing-${suffix}`);
    await uploads.create();
    await poisonContainer.create();
    settings = {
      AzureWebJobsStorage: storage.connectionString,
      FIXTURE_CONTAINER: uploads.containerName,
      FIXTURE_POISON_CONTAINER: poisonContainer.containerName,
    };
  });

  /** A fresh host (and extension instance) each time, as after a process restart. */
  const start = (): Promise<StartedHost> =>
    startHost({
      appDir: tempAppDir(),
      main: fixture('blob-app'),
      port: 0,
      settings,
      extensions: [blobExtension({ pollIntervalMs: 100, receiptsTable: `receipts${suffix}`, poisonQueue })],
      log: memoryHostLog(),
    });
  after(() => storage.stop());

  const uploadsSeen = (): string[] => fixtureEvents('onUpload').map((event) => String(event.text));

  it('should invoke once per blob version with a Buffer and trigger metadata, and not again after a restart', async () => {
    let host: StartedHost = await start();
    try {
      await uploads.getBlockBlobClient('acme/doc.txt').upload('v1', 2, { metadata: { Origin: 'test' } });
      await eventually(() => uploadsSeen().length === 1);
      await uploads.getBlockBlobClient('acme/doc.txt').upload('v2', 2);
      await eventually(() => uploadsSeen().length === 2);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(uploadsSeen(), ['v1', 'v2']);
      const first = fixtureEvents('onUpload')[0];
      assert.equal(first?.isBuffer, true);
      const metadata = first?.metadata as Record<string, unknown>;
      assert.equal(metadata.tenant, 'acme');
      assert.equal(metadata.name, 'doc.txt');
      assert.equal(metadata.blobTrigger, `${uploads.containerName}/acme/doc.txt`);
      assert.match(String(metadata.uri), /acme\/doc\.txt$/);
      assert.deepEqual(metadata.metadata, { origin: 'test' });
      assert.equal((metadata.properties as Record<string, unknown>).contentLength, 2);
    } finally {
      await host.stop();
    }
    host = await start();
    try {
      // A new blob proves the restarted host polls; the old versions must not come back.
      await uploads.getBlockBlobClient('acme/after.txt').upload('v3', 2);
      await eventually(() => uploadsSeen().length >= 3);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(uploadsSeen(), ['v1', 'v2', 'v3']);
    } finally {
      await host.stop();
    }
  });

  it('should move a blob whose function always throws to the poison queue after 5 tries', async () => {
    const host = await start();
    try {
      await poisonContainer.getBlockBlobClient('bad.bin').upload('xx', 2);
      const queue = new QueueClient(storage.connectionString, poisonQueue);
      await eventually(async () => (await queue.exists()) && (await queue.getProperties()).approximateMessagesCount === 1);
      assert.equal(fixtureEvents('alwaysFails').length, 5);
      const [message] = (await queue.peekMessages()).peekedMessageItems;
      const poison = JSON.parse(Buffer.from(message?.messageText ?? '', 'base64').toString('utf8')) as Record<string, string>;
      assert.equal(poison.FunctionId, 'Host.Functions.alwaysFails');
      assert.equal(poison.BlobName, 'bad.bin');
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(fixtureEvents('alwaysFails').length, 5);
    } finally {
      await host.stop();
    }
  });
});
