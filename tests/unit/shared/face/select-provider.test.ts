import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFaceSettings, selectFaceProvider } from '../../../../shared/face/select-provider';

describe('face provider selection', () => {
  it('should default to the local provider', () => {
    assert.deepEqual(readFaceSettings({}), { FACE_PROVIDER: 'local' });
  });

  it('should read the Azure endpoint and optional key', () => {
    const settings = readFaceSettings({ FACE_PROVIDER: 'azure', FACE_ENDPOINT: 'https://vouch.cognitiveservices.azure.com' });
    assert.equal(settings.FACE_PROVIDER === 'azure' && settings.FACE_ENDPOINT, 'https://vouch.cognitiveservices.azure.com');
    assert.equal(settings.FACE_PROVIDER === 'azure' && settings.FACE_API_KEY, undefined);
    assert.equal(readFaceSettings({ FACE_PROVIDER: 'azure', FACE_ENDPOINT: 'https://x.example', FACE_API_KEY: 'k' }).FACE_PROVIDER, 'azure');
  });

  it('should fail fast naming the bad setting', () => {
    assert.throws(() => readFaceSettings({ FACE_PROVIDER: 'azure' }), /FACE_ENDPOINT/);
    assert.throws(() => readFaceSettings({ FACE_PROVIDER: 'azure', FACE_ENDPOINT: 'not a url' }), /FACE_ENDPOINT/);
    assert.throws(() => readFaceSettings({ FACE_PROVIDER: 'aws' }), /FACE_PROVIDER/);
  });

  it('should build the chosen provider without loading models or calling Azure', async () => {
    assert.equal((await selectFaceProvider({ FACE_PROVIDER: 'local' })).name, 'local');
    const azure = await selectFaceProvider({ FACE_PROVIDER: 'azure', FACE_ENDPOINT: 'https://vouch.cognitiveservices.azure.com', FACE_API_KEY: 'k' });
    assert.equal(azure.name, 'azure');
  });
});
