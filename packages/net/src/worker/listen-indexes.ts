/**
 * Node numbers the listens on one address within a worker, so that two
 * servers of one worker on the same port get two listeners in the primary
 * (and the second fails as it would without a cluster), while the n-th
 * server of every worker shares the n-th listener.
 */
export class ListenIndexes {
  readonly #byAddress = new Map<string, { next: number; live: Set<number> }>();

  take(address: string): number {
    let slot = this.#byAddress.get(address);
    if (slot === undefined) {
      slot = { next: 0, live: new Set() };
      this.#byAddress.set(address, slot);
    }
    const index = slot.next++;
    slot.live.add(index);
    return index;
  }

  release(address: string, index: number): void {
    const slot = this.#byAddress.get(address);
    if (slot === undefined) return;
    slot.live.delete(index);
    if (slot.live.size === 0) this.#byAddress.delete(address);
  }
}
