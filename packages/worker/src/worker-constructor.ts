import { Worker as WorkerClass, type WorkerOptions } from './worker.ts';

/** `cluster.Worker`: constructible, and callable without `new` as Node's function constructor is. */
export interface WorkerConstructor {
  new (options?: Partial<WorkerOptions>): Worker;
  (options?: Partial<WorkerOptions>): Worker;
  readonly prototype: Worker;
}

/** One worker, as `cluster.Worker`: the same object in every event and in `cluster.workers`. */
export interface Worker extends WorkerClass {}

/**
 * Node's `Worker` is a function that calls itself with `new` when called without it
 * (`cluster.Worker.call({}, { id: 5 })` is a worker with id 5). A class cannot be called, so the class is
 * wrapped: a call constructs; `new`, subclasses, `instanceof` and statics reach the class unchanged.
 */
export const Worker = new Proxy(WorkerClass, {
  apply: (target, _self, args: [Partial<WorkerOptions>?]) => Reflect.construct(target, args),
}) as unknown as WorkerConstructor;

// `worker.constructor` is what users hold as `cluster.Worker`.
Object.defineProperty(WorkerClass.prototype, 'constructor', {
  value: Worker,
  writable: true,
  configurable: true,
  enumerable: false,
});
