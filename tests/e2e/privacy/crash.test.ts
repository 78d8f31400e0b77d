/**
 * Killing the host (SIGKILL) while a subject erasure runs, then starting another host on the same
 * Azurite and Cosmos: the durable orchestration resumes from its history and the erasure
 * completes, leaving no blob and no document with the subject's reference.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite, type RunningAzurite } from '../../../runtime/storage/azurite';
import { freePorts } from '../../../runtime/storage/free-ports';
import { verificationPrefix } from '../../../shared/kyc/blob-names';
import { readFile } from 'node:fs/promises';
import { png, uploadForm } from '../../support/e2e-host';
import { stillFrame } from '../../support/media-fixtures';
import { eventually as poll } from '../../support/eventually';
import { type HostProcess, killHost, startHostProcess } from '../../support/host-process';
import { testCosmosClient } from '../../support/test-cosmos';

/** Polling ceiling and interval of this file (no timing assertion). */
const eventually = <T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 120_000) => poll(read, what, { timeoutMs, pollMs: 50, retryErrors: true });

const PRIVACY_HOST = path.join(__dirname, 'fixtures', 'privacy-host.js');
const compiledRoot = path.resolve(__dirname, '..', '..', '..');
const repoRoot = path.resolve(compiledRoot, '..');
const TENANT = 'demo-a';
const API_KEY = 'demo-a-key';
/** Extra blobs per verification, so the erasure activity is still running when the host dies. */
const EXTRA_FRAMES = 400;

describe('subject erasure survives a host crash', () => {
  let azurite: RunningAzurite;
  let dataDir: string;
  let settings: Record<string, string>;
  const hosts: HostProcess[] = [];

  before(async () => {
    assert.ok(process.env.COSMOS_ENDPOINT, 'COSMOS_ENDPOINT must point at a Cosmos server (scripts/test.ts starts one)');
    dataDir = mkdtempSync(path.join(tmpdir(), 'vouch-privacy-crash-'));
    azurite = await startAzurite({ blobPort: await freePorts(3), location: dataDir });
    const sample = JSON.parse(readFileSync(path.join(repoRoot, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> };
    const unique = randomBytes(4).toString('hex');
    settings = {
      ...sample.Values,
      AzureWebJobsStorage: azurite.connectionString,
      COSMOS_ENDPOINT: process.env.COSMOS_ENDPOINT ?? '',
      COSMOS_KEY: process.env.COSMOS_KEY ?? 'local',
      COSMOS_DATABASE: `privacy-crash-${unique}`,
      TASKHUB_NAME: `PrivacyCrash${unique}`,
    };
  });
  after(async () => {
    for (const host of hosts) await killHost(host);
    await azurite?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('should complete the erasure after kill -9 and restart', async (t) => {
    const subjectRef = `crash-subject-${randomBytes(3).toString('hex')}`;
    const first = await startHostProcess(PRIVACY_HOST, { PRIVACY_HOST_SETTINGS: JSON.stringify(settings) });
    hosts.push(first);
    const [document, selfie] = await Promise.all([readFile(await stillFrame('grid_bbaf2n', 0.3)), readFile(await stillFrame('grid_bbaf2n', 2.5))]);
    const media = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('kyc-media');
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const form = uploadForm([png('document', document), png('selfie', selfie)]);
      form.append('subjectRef', subjectRef);
      const response = await fetch(`${first.origin}/api/v1/verifications`, { method: 'POST', headers: { 'x-api-key': API_KEY }, body: form });
      assert.equal(response.status, 202, await response.clone().text());
      const id = ((await response.json()) as { id: string }).id;
      ids.push(id);
      await Promise.all(
        Array.from({ length: EXTRA_FRAMES }, (_, n) =>
          media.getBlockBlobClient(`${verificationPrefix(TENANT, id)}frames/extra-${n}.jpg`).uploadData(Buffer.from('frame')),
        ),
      );
    }

    const created = await fetch(`${first.origin}/api/v1/privacy/erasures`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ subjectRef }),
    });
    assert.equal(created.status, 202);
    const erasureId = ((await created.json()) as { id: string }).id;
    // Kill as soon as blobs start disappearing: mid-erasure, before the receipt closes.
    const total = ids.length * (EXTRA_FRAMES + 3);
    await eventually(async () => {
      let left = 0;
      for (const id of ids) for await (const b of media.listBlobsFlat({ prefix: verificationPrefix(TENANT, id) })) left += b.name ? 1 : 0;
      return left < total ? true : undefined;
    }, 'the erasure to start', 60_000);
    await killHost(first);
    let leftAtKill = 0;
    for (const id of ids) for await (const b of media.listBlobsFlat({ prefix: verificationPrefix(TENANT, id) })) leftAtKill += b.name ? 1 : 0;
    t.diagnostic(`blobs left when the host died: ${leftAtKill} of ${total}`);

    const second = await startHostProcess(PRIVACY_HOST, { PRIVACY_HOST_SETTINGS: JSON.stringify(settings) });
    hosts.push(second);
    const done = await eventually(async () => {
      const response = await fetch(`${second.origin}/api/v1/privacy/erasures/${erasureId}`, { headers: { 'x-api-key': API_KEY } });
      const body = (await response.json()) as { status: string; receipt: { items: Array<{ kind: string; count: number }> } };
      return body.status === 'completed' ? body : undefined;
    }, 'the erasure to complete after the restart');
    assert.equal(JSON.stringify(done).includes(subjectRef), false);

    for (const id of ids) {
      const left: string[] = [];
      for await (const b of media.listBlobsFlat({ prefix: verificationPrefix(TENANT, id) })) left.push(b.name);
      assert.deepEqual(left, [], `no blobs left for ${id}`);
      const get = await fetch(`${second.origin}/api/v1/verifications/${id}`, { headers: { 'x-api-key': API_KEY } });
      assert.equal(get.status, 410);
    }
    const { client: cosmos, agent } = testCosmosClient(settings.COSMOS_ENDPOINT ?? '', settings.COSMOS_KEY ?? '');
    try {
      const db = cosmos.database(settings.COSMOS_DATABASE ?? '');
      const { resources: containers } = await db.containers.readAll().fetchAll();
      for (const { id } of containers) {
        const { resources } = await db.container(id).items.query('SELECT * FROM c').fetchAll();
        assert.deepEqual(resources.filter((r) => JSON.stringify(r).includes(subjectRef)).map((r) => `${id}/${(r as { id: string }).id}`), []);
      }
    } finally {
      cosmos.dispose();
      agent.destroy();
    }
    await killHost(second);
  });
});
