import cluster, { resolvePolicy } from '@cluster/facade';
import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, OURS } from './ports-helpers.ts';

afterEach(() => killAll());

const CONNECTIONS = 20;

/** Runs the policy fixture and returns how many connections each worker got, and the primary's stderr. */
async function run(selection: 'env' | 'name' | 'object', env: Record<string, string>) {
  const script = runScript(fixture('ports-policy.mjs'), { args: [selection], env: { ...OURS, ...env } });
  const { code } = await script.exited(20_000);
  expect(code, script.stderr.join('\n')).toBe(0);
  const events = script.stdout
    .filter((line) => line.startsWith('TRACE '))
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
  const got = events.find((event) => event.event === 'got') as { 1: number; 2: number };
  const scheduling = events.find((event) => event.event === 'scheduling') as { rr: boolean };
  return { got, rr: scheduling.rr, stderr: script.stderr.join('\n') };
}

describe('selecting a balancing policy', () => {
  it('keeps round-robin by default and under NODE_CLUSTER_SCHED_POLICY=rr: workers alternate', async () => {
    for (const env of [{}, { NODE_CLUSTER_SCHED_POLICY: 'rr' }] as Array<Record<string, string>>) {
      const { got, rr } = await run('env', env);
      expect(rr).toBe(true);
      expect(got).toMatchObject({ 1: CONNECTIONS / 2, 2: CONNECTIONS / 2 });
    }
  });

  it('least-connections by name in NODE_CLUSTER_SCHED_POLICY follows the counts workers report', async () => {
    // Worker 1 keeps its connections open, worker 2 closes them: worker 2 reports fewer and gets most.
    const { got, rr } = await run('env', { NODE_CLUSTER_SCHED_POLICY: 'least-connections' });
    expect(rr).toBe(true);
    expect(got[1]).toBeLessThanOrEqual(CONNECTIONS / 4);
    expect(got[1] + got[2]).toBe(CONNECTIONS);
  });

  it.each([
    ['name', 'least-connections'],
    ['name', 'power-of-two'],
    ['object', 'least-connections'],
  ] as const)('setupPrimary({ policy }) by %s (%s) balances by reported load', async (selection, policy) => {
    const { got } = await run(selection, { PORTS_POLICY: policy });
    expect(got[1]).toBeLessThanOrEqual(CONNECTIONS / 4);
  });

  it('ip-hash sends every connection from one address to one worker', async () => {
    const { got } = await run('name', { PORTS_POLICY: 'ip-hash' });
    expect([got[1], got[2]].sort()).toEqual([0, CONNECTIONS]);
  });

  it('warns about an unknown NODE_CLUSTER_SCHED_POLICY and uses round-robin, without crashing', async () => {
    const { got, rr, stderr } = await run('env', { NODE_CLUSTER_SCHED_POLICY: 'nope' });
    expect(rr).toBe(true);
    expect(stderr).toContain('CLUSTER_UNKNOWN_POLICY');
    expect(stderr.match(/CLUSTER_UNKNOWN_POLICY/g)).toHaveLength(1);
    // The warning tells a mistyped name what the valid ones are.
    for (const name of ['rr', 'none', 'round-robin', 'least-connections', 'ip-hash', 'power-of-two']) {
      expect(stderr).toContain(`'${name}'`);
    }
    expect(got).toMatchObject({ 1: CONNECTIONS / 2, 2: CONNECTIONS / 2 });
  });

  it('keeps SCHED_NONE for NODE_CLUSTER_SCHED_POLICY=none', async () => {
    const { rr } = await run('env', { NODE_CLUSTER_SCHED_POLICY: 'none' });
    expect(rr).toBe(false);
  });
});

describe('bad policy settings', () => {
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return { code: (error as { code?: string }).code, type: (error as Error).constructor.name };
    }
    return undefined;
  };

  it('setupPrimary throws ERR_INVALID_ARG_VALUE for an unknown name and leaves the settings alone', () => {
    expect(codeOf(() => cluster.setupPrimary?.({ policy: 'fastest' as never }))).toEqual({
      code: 'ERR_INVALID_ARG_VALUE',
      type: 'TypeError',
    });
    expect(cluster.settings.policy).toBeUndefined();
  });

  it('names the valid policies in the error for a mistyped one', () => {
    expect(() => cluster.setupPrimary?.({ policy: 'least-connection' as never })).toThrow(
      "The property 'settings.policy' must be one of: 'round-robin', 'least-connections', 'ip-hash', 'power-of-two', 'balanced' (or a policy object). Received 'least-connection'",
    );
  });

  it('setupPrimary throws ERR_INVALID_ARG_TYPE for an object that is not a policy', () => {
    expect(codeOf(() => cluster.setupPrimary?.({ policy: { name: 'x' } as never }))).toEqual({
      code: 'ERR_INVALID_ARG_TYPE',
      type: 'TypeError',
    });
    expect(codeOf(() => cluster.setupPrimary?.({ policy: 42 as never }))).toEqual({
      code: 'ERR_INVALID_ARG_TYPE',
      type: 'TypeError',
    });
  });

  it('resolves names, objects and the environment as documented', () => {
    expect(resolvePolicy(undefined, undefined).name).toBe('round-robin');
    expect(resolvePolicy(undefined, 'ip-hash').name).toBe('ip-hash');
    expect(resolvePolicy('power-of-two', 'ip-hash').name).toBe('power-of-two');
    const own = { name: 'own', pick: () => undefined };
    expect(resolvePolicy(own, 'ip-hash')).toBe(own);
  });
});
