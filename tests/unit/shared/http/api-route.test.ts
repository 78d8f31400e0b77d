import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { apiRoute } from '../../../../shared/http/api-route';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..', '..');

describe('apiRoute', () => {
  it('should put api/ in front of a route template, so its URL stays /api/... under routePrefix ""', () => {
    assert.equal(apiRoute('v1/things/{id}'), 'api/v1/things/{id}');
    assert.equal(apiRoute('/health'), 'api/health');
  });

  it('should go with the empty route prefix of host.json (a prefix there would double api/)', () => {
    const hostJson = JSON.parse(readFileSync(path.join(repoRoot, 'host.json'), 'utf8')) as { extensions: { http: { routePrefix: string } } };
    assert.equal(hostJson.extensions.http.routePrefix, '');
  });
});
