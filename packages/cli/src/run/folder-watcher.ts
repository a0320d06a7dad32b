import { type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Changes that come closer together than this make one reload (an editor saving, `git checkout`). */
export const WATCH_DEBOUNCE_MS = 300;

/** Skipped by `--watch`: dependencies and dot-folders (`.git`, editors' files). */
export function isIgnored(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/**
 * Watches a folder and every folder under it, but those `isIgnored()` skips, with one `fs.watch` per folder
 * (not `recursive`, which would watch node_modules too), adding folders made later. Calls `onChange` once
 * per burst of changes, `WATCH_DEBOUNCE_MS` after the last, with the files it saw change.
 */
export class FolderWatcher {
  readonly #root: string;
  readonly #onChange: (files: string[]) => void;
  readonly #debounce: number;
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #changed = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(root: string, onChange: (files: string[]) => void, debounce = WATCH_DEBOUNCE_MS) {
    this.#root = root;
    this.#onChange = onChange;
    this.#debounce = debounce;
  }

  start(): void {
    this.#watchTree(this.#root);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  #watchTree(dir: string): void {
    if (this.#closed || this.#watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name !== null) this.#saw(dir, name.toString());
      });
    } catch {
      return;
    }
    watcher.on('error', () => {
      watcher.close();
      this.#watchers.delete(dir);
    });
    this.#watchers.set(dir, watcher);
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !isIgnored(entry.name)) this.#watchTree(join(dir, entry.name));
    }
  }

  #saw(dir: string, name: string): void {
    if (this.#closed) return;
    const path = join(dir, name);
    if (relative(this.#root, path).split(sep).some(isIgnored)) return;
    try {
      if (statSync(path).isDirectory()) this.#watchTree(path);
    } catch {
      // Removed: still a change.
    }
    this.#changed.add(relative(this.#root, path));
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const files = [...this.#changed].sort();
      this.#changed.clear();
      this.#onChange(files);
    }, this.#debounce);
    this.#timer.unref();
  }
}
