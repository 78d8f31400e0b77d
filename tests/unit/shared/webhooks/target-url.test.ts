import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPublicAddress } from '../../../../shared/webhooks/public-address';
import { checkWebhookTarget, type ResolveHost } from '../../../../shared/webhooks/target-url';

/** A resolver answering fixed records, for names whose real DNS we do not control. */
const records = (map: Record<string, string[]>): ResolveHost => async (host) => {
  const found = map[host];
  if (!found) throw new Error('ENOTFOUND');
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('isPublicAddress', () => {
  it('should refuse every non-public range the issue names', () => {
    const refused = [
      '127.0.0.1', '127.255.255.254', '0.0.0.0', '0.1.2.3', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1',
      '169.254.169.254', '169.254.1.1', '168.63.129.16', '100.64.0.1', '100.127.255.254', '224.0.0.1', '239.255.255.250',
      '240.0.0.1', '255.255.255.255', '192.0.2.1', '198.18.0.1', '198.19.255.255', '198.51.100.7', '203.0.113.9', '192.0.0.8',
      '::', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '64:ff9b::a00:1',
      'fe80::1', 'fe80::1%eth0', 'febf:ffff::1', 'fe9a::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', 'ff0e::1',
      '2001:db8::1', '2001:2::1', '2002:7f00:1::1', '2001::1', '3fff::1', 'not-an-ip',
    ];
    for (const a of refused) assert.equal(isPublicAddress(a), false, a);
  });

  it('should allow public addresses of both families', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '100.128.0.1', '172.32.0.1', '169.253.255.255', '2606:4700:4700::1111', '2a00:1450:4001::1']) {
      assert.equal(isPublicAddress(a), true, a);
    }
  });
});

describe('checkWebhookTarget', () => {
  const dns = records({
    'hooks.example.com': ['93.184.215.14'],
    'sneaky.example.com': ['93.184.215.14', '10.1.2.3'],
    'metadata.example.com': ['169.254.169.254'],
    'v6.example.com': ['2606:4700::6810:84e5'],
    'mapped.example.com': ['::ffff:127.0.0.1'],
  });

  it('should refuse literal non-public hosts in every spelling the issue lists', async () => {
    for (const u of [
      'https://[::ffff:127.0.0.1]/', 'https://[::]/', 'https://[fe9a::1]/', 'https://100.64.0.1/', 'https://168.63.129.16/',
      'https://127.1/', 'https://2130706433/', 'https://0x7f.0.0.1/', 'https://[::1]/', 'https://10.0.0.5/', 'https://169.254.169.254/metadata',
    ]) {
      const check = await checkWebhookTarget(u, 'azure', dns);
      assert.equal(check.ok, false, u);
    }
  });

  it('should resolve names and refuse any that has a non-public address', async () => {
    assert.deepEqual(await checkWebhookTarget('https://sneaky.example.com/h', 'azure', dns), { ok: false, reason: 'non-public address' });
    assert.deepEqual(await checkWebhookTarget('https://metadata.example.com/', 'azure', dns), { ok: false, reason: 'non-public address' });
    assert.deepEqual(await checkWebhookTarget('https://mapped.example.com/', 'azure', dns), { ok: false, reason: 'non-public address' });
    assert.deepEqual(await checkWebhookTarget('https://nowhere.example.com/', 'azure', dns), { ok: false, reason: 'host does not resolve' });
    // The real resolver: `localhost` resolves to loopback.
    assert.deepEqual(await checkWebhookTarget('https://localhost/', 'azure'), { ok: false, reason: 'non-public address' });
  });

  it('should pin the checked address of a public target', async () => {
    const check = await checkWebhookTarget('https://hooks.example.com/vouch', 'azure', dns);
    assert.ok(check.ok);
    assert.equal(check.target.address, '93.184.215.14');
    assert.equal(check.target.family, 4);
    const v6 = await checkWebhookTarget('https://v6.example.com/', 'azure', dns);
    assert.ok(v6.ok && v6.target.family === 6);
  });

  it('should refuse http, credentials and garbage on Azure', async () => {
    for (const u of ['http://hooks.example.com/', 'https://u:p@hooks.example.com/', 'nonsense', 'ftp://hooks.example.com/']) {
      assert.equal((await checkWebhookTarget(u, 'azure', dns)).ok, false, u);
    }
  });

  it('should allow loopback (also over http) in local mode, and still refuse private addresses there', async () => {
    for (const u of ['http://127.0.0.1:9000/hook', 'http://localhost:9000/hook', 'https://[::1]:8443/']) {
      assert.equal((await checkWebhookTarget(u, 'local')).ok, true, u);
    }
    assert.equal((await checkWebhookTarget('https://10.0.0.5/', 'local')).ok, false);
    assert.equal((await checkWebhookTarget('http://hooks.example.com/', 'local', dns)).ok, false);
  });
});
