/**
 * The conformance suite every policy runs: built-ins first in their own
 * tests, third-party policies in theirs. Framework-agnostic: each case
 * throws (node:assert) on failure, so any runner can call `run()`.
 */
import assert from 'node:assert/strict';
import { explainPolicyMismatch } from './guard.ts';
import type { ConnectionInfo, SchedulingPolicy, WorkerLoad } from './policy.ts';

/** One conformance check; `run` throws an `AssertionError` when the policy breaks the contract. */
export interface ConformanceCase {
  readonly name: string;
  run(): void;
}

/** A mutable worker as the primary keeps it; policies see it as a read-only `WorkerLoad`. */
export interface TestWorker extends WorkerLoad {
  id: number;
  busy: boolean;
  connections: number;
  handed: number;
}

/** A worker for policy tests; `load` overrides the defaults (free, no connections). */
export function createTestWorker(id: number, load: Partial<Omit<TestWorker, 'id'>> = {}): TestWorker {
  return { id, busy: false, connections: 0, handed: 0, ...load };
}

/** The connection info of a client at `remoteAddress` (none by default). */
export function createTestConnection(remoteAddress?: string): ConnectionInfo {
  return { remoteAddress };
}

const PICKS = 64;
const ADDRESSES = ['127.0.0.1', '10.0.0.7', '::1', '192.168.1.20', 'fe80::1'];

function pool(count: number, firstId = 1): TestWorker[] {
  return Array.from({ length: count }, (_, i) => createTestWorker(firstId + i));
}

function connections(): ConnectionInfo[] {
  return [createTestConnection(undefined), ...ADDRESSES.map((address) => createTestConnection(address))];
}

/** Picks the way the primary does: the chosen worker stays busy until it acknowledges. */
function pickAndAck(policy: SchedulingPolicy, workers: TestWorker[], connection: ConnectionInfo): TestWorker {
  const chosen = policy.pick(workers, connection) as TestWorker | undefined;
  assert.ok(chosen !== undefined, `${policy.name}: returned undefined although every worker was free`);
  assert.ok(workers.includes(chosen), `${policy.name}: returned an object that is not one of the workers given`);
  chosen.handed += 1;
  chosen.connections += 1;
  return chosen;
}

function joined(policy: SchedulingPolicy, workers: readonly TestWorker[]): void {
  for (const worker of workers) policy.add?.(worker);
}

/**
 * The cases a policy must pass. `factory` must return a fresh policy on each
 * call; the suite calls hooks in the order the primary does (`add` when a
 * worker joins, `remove` when it leaves, `dispose` when the server closes).
 */
export function policyConformanceCases(factory: () => SchedulingPolicy): ConformanceCase[] {
  const fresh = (): SchedulingPolicy => {
    const policy = factory();
    const problem = explainPolicyMismatch(policy);
    assert.equal(problem, undefined, `the factory returned something that is not a policy: ${problem}`);
    return policy;
  };
  return [
    {
      name: 'meets the contract checked by assertSchedulingPolicy',
      run() {
        fresh();
      },
    },
    {
      name: 'returns a new policy on each call of the factory',
      run() {
        assert.notEqual(fresh(), fresh(), 'two calls of the factory returned the same object');
      },
    },
    {
      name: 'picks nobody from an empty pool',
      run() {
        const policy = fresh();
        for (const connection of connections()) assert.equal(policy.pick([], connection), undefined);
      },
    },
    {
      name: 'picks one of the workers given whenever every worker is free',
      run() {
        const policy = fresh();
        const workers = pool(4);
        joined(policy, workers);
        for (let i = 0; i < PICKS; i++) {
          const connection = connections()[i % ADDRESSES.length] as ConnectionInfo;
          pickAndAck(policy, workers, connection);
        }
      },
    },
    {
      name: 'never picks a busy worker',
      run() {
        const policy = fresh();
        const workers = pool(5);
        joined(policy, workers);
        for (let i = 0; i < PICKS; i++) {
          for (const worker of workers) worker.busy = (i + worker.id) % 3 === 0;
          for (const connection of connections()) {
            const chosen = policy.pick(workers, connection);
            if (chosen === undefined) continue;
            assert.ok(workers.includes(chosen as TestWorker), `${policy.name}: picked a stranger`);
            assert.equal(chosen.busy, false, `${policy.name}: picked busy worker ${chosen.id}`);
          }
        }
      },
    },
    {
      name: 'picks nobody when every worker is busy',
      run() {
        const policy = fresh();
        const workers = pool(3).map((worker) => ({ ...worker, busy: true }));
        joined(policy, workers);
        for (const connection of connections()) assert.equal(policy.pick(workers, connection), undefined);
      },
    },
    {
      name: 'does not modify the workers it is given',
      run() {
        const policy = fresh();
        const workers = pool(3).map((worker) => Object.freeze({ ...worker, connections: worker.id }));
        const list = Object.freeze([...workers]);
        for (const worker of workers) policy.add?.(worker);
        for (const connection of connections()) policy.pick(list, connection);
      },
    },
    {
      name: 'never picks a worker that left, and keeps picking as workers come and go',
      run() {
        const policy = fresh();
        let workers = pool(3);
        joined(policy, workers);
        let nextId = 4;
        for (let round = 0; round < 12; round++) {
          const leaving = workers[round % workers.length] as TestWorker;
          workers = workers.filter((worker) => worker !== leaving);
          policy.remove?.(leaving);
          const arriving = createTestWorker(nextId++);
          workers.push(arriving);
          policy.add?.(arriving);
          for (const connection of connections()) {
            const chosen = pickAndAck(policy, workers, connection);
            assert.notEqual(chosen, leaving, `${policy.name}: picked worker ${leaving.id} after it left`);
          }
        }
      },
    },
    {
      name: 'works with ids that are neither small nor contiguous',
      run() {
        const policy = fresh();
        const workers = [createTestWorker(1000), createTestWorker(7), createTestWorker(2 ** 30)];
        joined(policy, workers);
        for (let i = 0; i < PICKS; i++) {
          const connection = connections()[i % ADDRESSES.length] as ConnectionInfo;
          pickAndAck(policy, workers, connection);
        }
      },
    },
    {
      name: 'serves a single worker every time it is free',
      run() {
        const policy = fresh();
        const [only] = pool(1) as [TestWorker];
        policy.add?.(only);
        for (const connection of connections()) assert.equal(pickAndAck(policy, [only], connection), only);
      },
    },
    {
      name: 'runs every hook without the optional ones being called first',
      run() {
        const policy = fresh();
        const workers = pool(2);
        // A policy must cope with a pool it was never told about (hooks are optional for the caller too).
        pickAndAck(policy, workers, createTestConnection('127.0.0.1'));
        policy.remove?.(workers[0] as TestWorker);
        policy.dispose?.();
      },
    },
    {
      name: 'keeps working after dispose, as the same object serves a listener opened again',
      run() {
        const policy = fresh();
        const workers = pool(2);
        joined(policy, workers);
        pickAndAck(policy, workers, createTestConnection(undefined));
        for (const worker of workers) policy.remove?.(worker);
        policy.dispose?.();
        const again = pool(2, 10);
        joined(policy, again);
        for (const connection of connections()) pickAndAck(policy, again, connection);
      },
    },
    {
      name: 'does not read the client address more than once per decision',
      run() {
        const policy = fresh();
        const workers = pool(4);
        joined(policy, workers);
        let reads = 0;
        const connection: ConnectionInfo = {
          get remoteAddress() {
            reads += 1;
            return '10.1.2.3';
          },
        };
        policy.pick(workers, connection);
        assert.ok(reads <= 1, `${policy.name}: read remoteAddress ${reads} times (it costs a syscall)`);
      },
    },
  ];
}

/** Runs every case and throws one `AggregateError` listing the cases that failed. */
export function assertPolicyConformance(factory: () => SchedulingPolicy): void {
  const failures: Error[] = [];
  for (const testCase of policyConformanceCases(factory)) {
    try {
      testCase.run();
    } catch (error) {
      failures.push(new Error(`${testCase.name}: ${(error as Error).message}`, { cause: error }));
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} conformance case(s) failed`);
}
