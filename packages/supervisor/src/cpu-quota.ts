import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Where the cgroup file systems are mounted. `CGROUP_ROOT_ENV` names another folder, laid out the same
 * way: for tests (a fake quota file) and for the rare host that mounts them elsewhere.
 */
export const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';
/** The environment variable that replaces `DEFAULT_CGROUP_ROOT`. */
export const CGROUP_ROOT_ENV = 'CLUSTER_CGROUP_ROOT';

/** Where to look, and which process's cgroups to read. */
export interface CpuQuotaSource {
  /** The cgroup mount root. Default: `$CLUSTER_CGROUP_ROOT`, else `/sys/fs/cgroup`. */
  root?: string;
  /** The text of `/proc/self/cgroup` (read when not given). */
  membership?: string;
}

/**
 * The CPU time this process may use, in CPUs (`1.5` for a quota of 150 ms per 100 ms period), as a
 * container runtime sets it: cgroup v2's `cpu.max`, or cgroup v1's `cpu.cfs_quota_us` over
 * `cpu.cfs_period_us`. The tightest limit between the process's own cgroup and the root counts, as the
 * kernel applies them all. `undefined` when there is no limit, or no cgroup to read (not Linux).
 */
export function readCpuQuota(source: CpuQuotaSource = {}): number | undefined {
  const root = source.root ?? process.env[CGROUP_ROOT_ENV] ?? DEFAULT_CGROUP_ROOT;
  const membership = source.membership ?? readText('/proc/self/cgroup') ?? '';
  const groups = parseMembership(membership);
  // cgroup v2 (unified): one hierarchy at the root, the process's group on the `0::` line.
  if (existsSync(join(root, 'cgroup.controllers'))) {
    return tightest(root, groups.get('') ?? '/', (dir) => {
      const [max, period] = (readText(join(dir, 'cpu.max')) ?? '').trim().split(/\s+/);
      return max === undefined || max === 'max' || max === '' ? undefined : ratio(max, period);
    });
  }
  // cgroup v1: the `cpu` controller's own hierarchy (mounted as cpu, or joined with cpuacct).
  const path = groups.get('cpu') ?? '/';
  for (const mount of ['cpu', 'cpu,cpuacct', 'cpuacct,cpu']) {
    const base = join(root, mount);
    if (!existsSync(join(base, 'cpu.cfs_quota_us'))) continue;
    return tightest(base, path, (dir) =>
      ratio(readText(join(dir, 'cpu.cfs_quota_us')), readText(join(dir, 'cpu.cfs_period_us'))),
    );
  }
  return undefined;
}

/**
 * How many workers `'max'` means: one per CPU this process may use. That is `os.availableParallelism()`
 * (which already honours the CPU affinity a cpuset gives), capped by the CPU quota rounded up (a pod
 * limited to 1.5 CPUs gets 2 workers, never fewer than 1).
 */
export function availableCpus(source: CpuQuotaSource = {}): number {
  const cpus = availableParallelism();
  const quota = readCpuQuota(source);
  return quota === undefined ? cpus : Math.max(1, Math.min(cpus, Math.ceil(quota)));
}

/** `/proc/self/cgroup`: `hierarchy-id:controllers:path` per line; v2's line has no controllers (key ''). */
function parseMembership(text: string): Map<string, string> {
  const groups = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (match === null) continue;
    const [, controllers = '', path = '/'] = match;
    if (controllers === '') groups.set('', path);
    for (const controller of controllers.split(',')) if (controller !== '') groups.set(controller, path);
  }
  return groups;
}

/**
 * The smallest limit from the process's group up to the mount root. A container usually sees its own
 * group mounted at the root (its path in /proc/self/cgroup then names a folder that does not exist
 * there): the folders that do exist are read.
 */
function tightest(base: string, path: string, limitOf: (dir: string) => number | undefined): number | undefined {
  let limit: number | undefined;
  let dir = join(base, path);
  for (;;) {
    if (existsSync(dir)) {
      const here = limitOf(dir);
      if (here !== undefined && (limit === undefined || here < limit)) limit = here;
    }
    if (dir === base || !dir.startsWith(base)) break;
    dir = dirname(dir);
  }
  return limit;
}

function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota?.trim());
  const p = Number(period?.trim());
  // v1 writes -1 for "no quota".
  if (!Number.isFinite(q) || !Number.isFinite(p) || q <= 0 || p <= 0) return undefined;
  return q / p;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
