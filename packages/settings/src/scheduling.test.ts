import { describe, expect, it } from 'vitest';
import { readSchedulingChoice, SCHED_NONE, SCHED_RR } from './scheduling.ts';

describe('readSchedulingChoice', () => {
  it("has Node's constants", () => {
    expect([SCHED_NONE, SCHED_RR]).toEqual([1, 2]);
  });

  it('reads rr and none from NODE_CLUSTER_SCHED_POLICY', () => {
    expect(readSchedulingChoice({ NODE_CLUSTER_SCHED_POLICY: 'rr' }, 'win32')).toEqual({
      mode: SCHED_RR,
      policy: undefined,
      balanced: false,
    });
    expect(readSchedulingChoice({ NODE_CLUSTER_SCHED_POLICY: 'none' }, 'linux')).toEqual({
      mode: SCHED_NONE,
      policy: undefined,
      balanced: false,
    });
  });

  it('defaults to SCHED_RR, except on Windows', () => {
    expect(readSchedulingChoice({}, 'linux').mode).toBe(SCHED_RR);
    expect(readSchedulingChoice({ NODE_CLUSTER_SCHED_POLICY: '' }, 'darwin').mode).toBe(SCHED_RR);
    expect(readSchedulingChoice({}, 'win32').mode).toBe(SCHED_NONE);
  });

  it('takes any other value as the name of a balancing policy under SCHED_RR', () => {
    expect(readSchedulingChoice({ NODE_CLUSTER_SCHED_POLICY: 'least-connections' }, 'linux')).toEqual({
      mode: SCHED_RR,
      policy: 'least-connections',
      balanced: false,
    });
  });

  it('reads balanced as the balanced kernel-accept mode, under SCHED_NONE (the workers accept)', () => {
    for (const platform of ['linux', 'win32'] as const) {
      expect(readSchedulingChoice({ NODE_CLUSTER_SCHED_POLICY: 'balanced' }, platform)).toEqual({
        mode: SCHED_NONE,
        policy: undefined,
        balanced: true,
      });
    }
  });
});
