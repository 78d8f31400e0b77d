import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ContainerClient } from '@azure/storage-blob';
import { eraseBlobPrefix } from '../../../shared/privacy/erase-blobs';
import { startLocalServices, type LocalServices } from '../kyc/local-services';

let services: LocalServices;
let media: ContainerClient;
before(async () => {
  services = await startLocalServices();
  media = await services.blobContainer();
});
after(async () => services?.stop());

async function everything(prefix: string): Promise<string[]> {
  const names: string[] = [];
  for await (const b of media.listBlobsFlat({ prefix, includeSnapshots: true })) names.push(`${b.name}${b.snapshot ? `@${b.snapshot}` : ''}`);
  return names;
}

describe('eraseBlobPrefix', () => {
  it('it should delete every blob under the prefix with its snapshots, and nothing beside it', async () => {
    await media.getBlockBlobClient('t/v1/document.jpg').uploadData(Buffer.from('doc'));
    await media.getBlockBlobClient('t/v1/frames/00.jpg').uploadData(Buffer.from('frame'));
    await media.getBlockBlobClient('t/v10/document.jpg').uploadData(Buffer.from('other verification'));
    await media.getBlockBlobClient('t/v1/document.jpg').createSnapshot();
    assert.equal((await everything('t/v1/')).length, 3, 'two blobs and a snapshot');
    assert.equal(await eraseBlobPrefix(media, 't/v1/'), 2);
    assert.deepEqual(await everything('t/v1/'), []);
    assert.deepEqual(await everything('t/v10/'), ['t/v10/document.jpg']);
    assert.equal(await eraseBlobPrefix(media, 't/v1/'), 0, 'a second run finds nothing');
  });

  it('it should accept the versions option against a service without versioning', async () => {
    await media.getBlockBlobClient('t/v2/document.jpg').uploadData(Buffer.from('doc'));
    assert.equal(await eraseBlobPrefix(media, 't/v2/', { versions: true }), 1);
    assert.deepEqual(await everything('t/v2/'), []);
  });
});
