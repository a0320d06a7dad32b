import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { availableCpus, readCpuQuota } from './cpu-quota.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A fake cgroup mount: `files` maps paths under it to their text. */
function fakeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cluster-cgroup-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const V2_ROOT = '0::/\n';
const V1_ROOT = '4:memory:/\n2:cpu,cpuacct:/\n0::/\n';

describe('readCpuQuota', () => {
  it("reads cgroup v2's cpu.max as CPUs; 'max' is no limit", () => {
    const limited = fakeRoot({ 'cgroup.controllers': 'cpu', 'cpu.max': '150000 100000\n' });
    expect(readCpuQuota({ root: limited, membership: V2_ROOT })).toBe(1.5);
    const unlimited = fakeRoot({ 'cgroup.controllers': 'cpu', 'cpu.max': 'max 100000\n' });
    expect(readCpuQuota({ root: unlimited, membership: V2_ROOT })).toBeUndefined();
  });

  it("takes the tightest limit between the process's own group and the root", () => {
    const root = fakeRoot({
      'cgroup.controllers': 'cpu',
      'kubepods/cpu.max': '300000 100000',
      'kubepods/pod1/cpu.max': '50000 100000',
      'kubepods/pod1/app/cpu.max': 'max 100000',
    });
    expect(readCpuQuota({ root, membership: '0::/kubepods/pod1/app\n' })).toBe(0.5);
  });

  it('reads a container that sees its own group at the mount root (a path that is not there)', () => {
    const root = fakeRoot({ 'cgroup.controllers': 'cpu', 'cpu.max': '200000 100000' });
    expect(readCpuQuota({ root, membership: '0::/docker/abc123\n' })).toBe(2);
  });

  it("reads cgroup v1's cfs quota and period, with -1 as no quota", () => {
    const root = fakeRoot({ 'cpu,cpuacct/cpu.cfs_quota_us': '100000\n', 'cpu,cpuacct/cpu.cfs_period_us': '100000\n' });
    expect(readCpuQuota({ root, membership: V1_ROOT })).toBe(1);
    const none = fakeRoot({ 'cpu/cpu.cfs_quota_us': '-1\n', 'cpu/cpu.cfs_period_us': '100000\n' });
    expect(readCpuQuota({ root: none, membership: '1:cpu:/\n' })).toBeUndefined();
  });

  it('finds no limit where there is no cgroup to read', () => {
    expect(readCpuQuota({ root: fakeRoot({}), membership: '' })).toBeUndefined();
  });
});

describe('availableCpus', () => {
  it('is availableParallelism() without a quota, the quota rounded up with one, and at least 1', () => {
    const none = fakeRoot({ 'cgroup.controllers': 'cpu', 'cpu.max': 'max 100000' });
    expect(availableCpus({ root: none, membership: V2_ROOT })).toBe(availableParallelism());
    const half = fakeRoot({ 'cgroup.controllers': 'cpu', 'cpu.max': '50000 100000' });
    expect(availableCpus({ root: half, membership: V2_ROOT })).toBe(1);
    const huge = fakeRoot({ 'cgroup.controllers': 'cpu', 'cpu.max': '51200000 100000' });
    expect(availableCpus({ root: huge, membership: V2_ROOT })).toBe(availableParallelism());
  });

  it('reads the root from CLUSTER_CGROUP_ROOT', () => {
    const root = fakeRoot({ 'cgroup.controllers': 'cpu', 'cpu.max': '100000 100000' });
    const saved = process.env.CLUSTER_CGROUP_ROOT;
    process.env.CLUSTER_CGROUP_ROOT = root;
    try {
      expect(readCpuQuota({ membership: V2_ROOT })).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.CLUSTER_CGROUP_ROOT;
      else process.env.CLUSTER_CGROUP_ROOT = saved;
    }
  });
});
