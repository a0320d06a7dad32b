// `changeset status`, made to work in any clone: fails on a changeset that cannot be parsed or that names a
// package that does not exist, and on packages changed since the base branch without any changeset.
// Plain `changeset status` needs a local `main`; a fresh clone of another branch has only `origin/main`,
// and `--since` alone would read only the changesets added since then, so every changeset is read here.
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const cli = createRequire(import.meta.url).resolve('@changesets/cli/package.json');
const { default: getReleasePlan } = createRequire(cli)('@changesets/get-release-plan');

const plan = await getReleasePlan(root);
console.log(`${plan.changesets.length} changesets read, ${plan.releases.length} packages to release.`);

const BASES = ['main', 'origin/main'];
const exists = (ref) => {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const base = BASES.find(exists);
if (base === undefined) {
  // Every changeset was parsed above; without a base there is no change to hold them against.
  console.log(`changeset status: none of ${BASES.join(', ')} exists in this clone; only the changesets were checked.`);
  process.exit(0);
}
const bin = createRequire(import.meta.url).resolve('@changesets/cli/bin.js');
const { status, error } = spawnSync(process.execPath, [bin, 'status', `--since=${base}`], {
  cwd: root,
  stdio: 'inherit',
});
if (error) throw error;
process.exit(status ?? 1);
