import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kycSettingsSchema, parseKycSettings } from '../../../../shared/kyc/kyc-settings';

describe('kyc settings', () => {
  it('it should default every setting', () => {
    const s = parseKycSettings();
    assert.equal(s.frameCount, 5);
    assert.equal(s.mediaRetentionDays, 7);
    assert.equal(s.recordRetentionDays, 90);
    assert.equal(s.maxDocumentBytes, 15 * 1024 * 1024);
    assert.equal(s.maxSelfieVideoBytes, 50 * 1024 * 1024);
    assert.equal(s.maxSelfieVideoSeconds, 30);
    assert.ok(s.declineThreshold <= s.matchThreshold);
  });
  it('it should reject unknown keys, out-of-range values and a decline threshold above the match threshold', () => {
    assert.equal(kycSettingsSchema.safeParse({ frameCont: 5 }).success, false);
    assert.equal(kycSettingsSchema.safeParse({ matchThreshold: 1.5 }).success, false);
    assert.equal(kycSettingsSchema.safeParse({ frameCount: 0 }).success, false);
    assert.equal(kycSettingsSchema.safeParse({ matchThreshold: 0.4, declineThreshold: 0.5 }).success, false);
  });
});
