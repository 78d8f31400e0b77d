import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHost, type StartedHost } from '../../../runtime/index';
import { memoryHostLog } from '../../../runtime/host-log';
import { httpExtension } from '../../../runtime/triggers/http';
import { timerExtension } from '../../../runtime/triggers/timer';
import { fixtureEvents } from '../fixtures/fixture-events';
import { eventually, fixture, tempAppDir } from '../local-storage';

describe('timer trigger', () => {
  let host: StartedHost;
  const log = memoryHostLog();

  before(async () => {
    host = await startHost({
      appDir: tempAppDir(),
      main: fixture('timer-app'),
      port: 0,
      settings: { FIXTURE_SCHEDULE: '0 0 0 1 1 *', AzureWebJobsStorage: 'UseDevelopmentStorage=true' },
      extensions: [httpExtension(), timerExtension()],
      log,
    });
  });
  after(() => host.stop());

  it('should fire a seconds schedule with timer info', async () => {
    await eventually(() => fixtureEvents('everySecond').length >= 2);
    const [first] = fixtureEvents('everySecond');
    assert.equal(typeof first?.isPastDue, 'boolean');
    assert.ok(!Number.isNaN(Date.parse(String(first?.next))));
    assert.ok(log.invocations.some((entry) => entry.functionName === 'everySecond' && entry.trigger === 'timerTrigger'));
  });

  it('should resolve a %SETTING% schedule and run it on startup', async () => {
    await eventually(() => fixtureEvents('fromSetting').length >= 1);
    assert.equal(fixtureEvents('fromSetting')[0]?.functionName, 'fromSetting');
  });

  it('should run a non-HTTP function through POST /admin/functions/{name}', async () => {
    const response = await fetch(`${host.origin}/admin/functions/queued?wait=true`, {
      method: 'POST',
      body: JSON.stringify({ input: '{"n":1}' }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { outcome: 'Succeeded', returnValue: { echoed: { n: 1 } } });
    const accepted = await fetch(`${host.origin}/admin/functions/fromSetting`, { method: 'POST', body: '{}' });
    assert.equal(accepted.status, 202);
    await eventually(() => fixtureEvents('fromSetting').length >= 2);
  });

  it('should answer 404 for an unknown function and 400 for an HTTP one', async () => {
    const missing = await fetch(`${host.origin}/admin/functions/nope`, { method: 'POST' });
    assert.equal(missing.status, 404);
  });
});
