// What each side answers. The channel checks act names, bodies and replies against these.

/** Acts the child answers. */
export interface ChildApi {
  add(body: { a: number; b: number }): number;
  divide(body: { a: number; b: number }): number;
  stats(body: null): { calls: number; since: Date };
}

/** Acts the parent answers. */
export interface ParentApi {
  ready(body: { pid: number }): void;
  log(body: string): void;
}
