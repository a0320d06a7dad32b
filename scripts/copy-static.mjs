// Copies hand-written files tsc does not emit (CommonJS entries, loader hooks) from src to dist.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const [from, to, ...endings] = process.argv.slice(2);
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) {
  if (endings.some((ending) => name.endsWith(ending))) copyFileSync(join(from, name), join(to, name));
}
