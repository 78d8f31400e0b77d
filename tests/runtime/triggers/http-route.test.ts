import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byPrecedence, compileRoute } from '../../../runtime/triggers/http-route';

describe('route templates', () => {
  it('should match parameters, constraints, optional and catch-all segments', () => {
    assert.deepEqual(compileRoute('api/items/{id:int}').match('/api/items/12'), { id: '12' });
    assert.equal(compileRoute('api/items/{id:int}').match('/api/items/x'), undefined);
    assert.deepEqual(compileRoute('api/a/{b?}').match('/api/a'), {});
    assert.deepEqual(compileRoute('api/files/{*rest}').match('/api/files/x/y%20z'), { rest: 'x/y z' });
    assert.deepEqual(compileRoute('api/f/{name}.{ext}').match('/api/f/photo.jpg'), { name: 'photo', ext: 'jpg' });
    assert.deepEqual(compileRoute('api/Case').match('/API/case/'), {});
  });

  it('should order literal before constrained before plain before catch-all', () => {
    const templates = ['api/{*all}', 'api/{name}', 'api/{id:int}', 'api/fixed'];
    const sorted = templates.map(compileRoute).sort(byPrecedence).map((route) => route.template);
    assert.deepEqual(sorted, ['api/fixed', 'api/{id:int}', 'api/{name}', 'api/{*all}']);
  });
});
