import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchChallenge, observedSteps, type MotionSample } from '../../../../../shared/kyc/challenges/match-challenge';
import { randomSteps } from '../../../../../shared/kyc/challenges/issue-challenge';
import { CHALLENGE_MATCHING } from '../../../../../shared/face/thresholds';

const t = CHALLENGE_MATCHING;
/** A trace: n for neutral, L/R turned, B eyes closed, - no face. The person's frontal yaw is 0.1 (a camera angle). */
const trace = (s: string): MotionSample[] =>
  [...s].map((c) => (c === '-' ? null : { yaw: 0.1 + (c === 'L' ? 0.25 : c === 'R' ? -0.25 : 0), eyeAspectRatio: c === 'B' ? 0.1 : 0.3 }));

describe('active challenge matching', () => {
  it('should see turns and closed eyes in order, each run once', () => {
    assert.deepEqual(observedSteps(trace('nnnLLLnnnnRRRnnnBBnnn'), t).observed, ['turn-left', 'turn-right', 'blink']);
    assert.deepEqual(observedSteps(trace('nnLLnLLnnnnn'), t).observed, ['turn-left'], 'a wobble inside one turn is one event');
  });

  it('should match only the exact steps in order', () => {
    const video = trace('nnnnLLLnnnnRRRnnnnn');
    assert.equal(matchChallenge(['turn-left', 'turn-right'], video, t).matched, true);
    assert.equal(matchChallenge(['turn-right', 'turn-left'], video, t).matched, false, 'wrong order');
    assert.equal(matchChallenge(['turn-left'], video, t).matched, false, 'extra movement');
    assert.equal(matchChallenge(['turn-left', 'turn-right', 'turn-left'], video, t).matched, false, 'missing movement');
  });

  it('should refuse a video that does every movement (it would otherwise fit any challenge)', () => {
    assert.equal(matchChallenge(['turn-left', 'turn-right'], trace('nnLLnnRRnnLLnnRRnn'), t).matched, false);
  });

  it('should see nothing in a still photo and refuse a video with too few faces', () => {
    assert.deepEqual(observedSteps(trace('nnnnnnnnnn'), t).observed, []);
    assert.equal(matchChallenge(['turn-left', 'turn-right'], trace('nnLL------RRnn'), t).matched, false);
  });

  it('should issue alternating turns starting on a random side', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const steps = randomSteps();
      assert.ok(steps.length >= 2 && steps.every((s, k) => k === 0 || s !== steps[k - 1]), steps.join());
      seen.add(steps.join());
    }
    assert.equal(seen.size, 4);
  });
});
