import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Principal } from '../../../../../shared/auth/principal';
import { DomainError } from '../../../../../shared/errors';
import { requireOrderInStore, storeScope } from '../../../../../shared/orders/merchant/store-scope';

const storeKey: Principal = { kind: 'apiKey', tenantId: 'demo-a', keyId: 'k1', storeId: 'north' };
const tenantKey: Principal = { kind: 'apiKey', tenantId: 'demo-a', keyId: 'k2' };
const code = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? `${e.status} ${e.code}` : 'other';
  }
};

describe('merchant store scope', () => {
  it("should hold a store's key to its store", () => {
    assert.equal(storeScope(storeKey, undefined), 'north');
    assert.equal(storeScope(storeKey, 'north'), 'north');
    assert.equal(code(() => storeScope(storeKey, 'main')), '403 forbidden');
    assert.equal(code(() => requireOrderInStore(storeKey, { storeId: 'main' })), '404 not-found');
    assert.equal(code(() => requireOrderInStore(storeKey, { storeId: 'north' })), undefined);
  });

  it("should let a tenant's key reach every store, narrowed on request", () => {
    assert.equal(storeScope(tenantKey, undefined), undefined);
    assert.equal(storeScope(tenantKey, 'main'), 'main');
    assert.equal(code(() => requireOrderInStore(tenantKey, { storeId: 'north' })), undefined);
  });
});
