#!/usr/bin/env bash
# scripts/new-package.sh NAME "description" [deps...] — lays out a package in the house shape.
# The release metadata (repository, homepage, bugs, node10 types, files, prepack, LICENSE, CHANGELOG.md)
# comes from scripts/check-manifests.mjs --fix, which `pnpm test` checks for every published package.
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1; desc=$2; shift 2
dir=packages/$name
mkdir -p "$dir/src" "$dir/test/fixtures"
deps=""
for d in "$@"; do deps="$deps\"@cluster/$d\": \"workspace:^\","; done
deps=${deps%,}
cat > "$dir/package.json" <<JSON
{
  "name": "@cluster/$name",
  "version": "0.0.0",
  "description": "$desc",
  "license": "MIT",
  "type": "module",
  "sideEffects": false,
  "exports": {
    ".": {
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    },
    "./package.json": "./package.json"
  },
  "files": ["dist"],
  "engines": { "node": ">=20.19" },
  "publishConfig": { "access": "public" },
  "scripts": {
    "build": "node ../../scripts/clean-dist.mjs && tsc -p tsconfig.build.json",
    "typecheck": "tsc -p tsconfig.json --noEmit",
    "test": "vitest run",
    "lint": "biome check ."
  },
  "dependencies": { $deps },
  "devDependencies": { "@cluster/test-utils": "workspace:^" }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "rootDir": ".", "noEmit": true },
  "include": ["src", "test"]
}
JSON
cat > "$dir/tsconfig.build.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist" },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts"]
}
JSON
[ -f "$dir/vitest.config.ts" ] || printf "export { default } from '../../vitest.shared.ts';\n" > "$dir/vitest.config.ts"
[ -f "$dir/README.md" ] || printf '# @cluster/%s\n\n%s\n' "$name" "$desc" > "$dir/README.md"
node scripts/check-manifests.mjs --fix
npx biome format --write "$dir/package.json" "$dir/tsconfig.json" "$dir/tsconfig.build.json" > /dev/null
cat <<TODO
Laid out $dir. Still yours to do:
  - its edges in scripts/check-boundaries.mjs (ALLOWED) and in ARCHITECTURE.md's graph;
  - src/index.ts, the README (what it is for, API, an example), tests;
  - .changeset/first-release-$name.md, the release note of its first version.
TODO
