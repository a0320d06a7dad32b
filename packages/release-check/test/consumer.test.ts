// The smoke test of a release: every packed package installed with npm into a project outside the
// workspace (no registry: internal dependencies must resolve to the tarballs), then used as a user would.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll, runScript } from '@cluster/test-utils';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { run } from '../src/pack.ts';
import { entryPoints, ROOT, readManifest } from '../src/published.ts';

const { work, packages } = inject('release');
const consumer = join(work, 'consumer');
const fixtures = fileURLToPath(new URL('./fixtures/consumer/', import.meta.url));
/** The API page's examples as examples/api-page runs them, and its preload that remaps port 8000. */
const pageExamples = join(ROOT, 'examples/api-page');
const HARNESS = join(pageExamples, 'test/harness.mjs');
const numCPUs = availableParallelism();
const RUN_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 5_000;

const here = createRequire(import.meta.url);
const tsc = {
  /** The workspace's TypeScript (7). */
  current: join(dirname(createRequire(join(ROOT, 'package.json')).resolve('typescript/package.json')), 'bin/tsc'),
  /** TypeScript 5, the last major with node10 resolution (`"module": "commonjs"`). */
  five: here.resolve('typescript-5/bin/tsc'),
};
/** @types/node for the consumer's compiles; the only thing it takes from the workspace. */
const typeRoots = [join(dirname(here.resolve('@types/node/package.json')), '..')];

afterEach(() => killAll());

beforeAll(() => {
  mkdirSync(consumer, { recursive: true });
  const dependencies = Object.fromEntries(packages.map(({ name, tarball }) => [name, `file:${tarball}`]));
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies }));
  // --offline: nothing may come from a registry (no @cluster package is on it).
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], consumer);
  for (const file of ['probe.cjs', 'consumer.mts', 'consumer.cts', 'node10/consumer.ts']) {
    mkdirSync(dirname(join(consumer, file)), { recursive: true });
    copyFileSync(join(fixtures, file), join(consumer, file));
  }
  for (const extension of ['mjs', 'cjs']) {
    const example = readFileSync(join(pageExamples, `server.${extension}`), 'utf8');
    writeFileSync(join(consumer, `server.${extension}`), example);
    // The page's own text: the same program on node:cluster, for the register runs.
    const page = example.replace(/(['"])@cluster\/core\1/, "'node:cluster'");
    expect(page).not.toBe(example);
    writeFileSync(join(consumer, `page-server.${extension}`), page);
  }
});

describe('installed with npm from the tarballs', () => {
  it('resolves every @cluster package to its tarball, none to a registry', () => {
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string }>;
    };
    const installed = Object.entries(lock.packages).filter(([path]) => path.includes('node_modules/@cluster/'));
    expect(installed.map(([path]) => path.slice(path.lastIndexOf('@cluster/'))).sort()).toEqual(
      packages.map(({ name }) => name).sort(),
    );
    for (const [path, { resolved }] of installed) expect(resolved, path).toMatch(/^file:.*\.tgz$/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Response {
  status: number;
  body: string;
  pid: number;
  ours: string | undefined;
}

/** One request on a fresh connection, so that the primary hands each to a worker in turn. */
function get(port: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body,
          pid: Number(response.headers['x-pid']),
          ours: response.headers['x-node-cluster-is-ours'] as string | undefined,
        }),
      );
    });
    request.on('error', reject);
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error('request timed out')));
  });
}

/** Runs a program of the API page in the consumer, with port 8000 remapped, and sends it requests. */
async function serve(program: string, preload: string[] = []) {
  const port = await freePort();
  const script = runScript(join(consumer, program), {
    cwd: consumer,
    execArgv: [...preload, '--require', './probe.cjs', '--import', HARNESS],
    env: { EXAMPLE_PORT: String(port), CLUSTER_IMPL: 'ours' },
    timeout: RUN_TIMEOUT_MS,
  });
  const lines = (prefix: string) => script.stdout.filter((line) => line.startsWith(prefix));
  await script.waitForLine(() => lines('PROBE listening').length >= numCPUs, RUN_TIMEOUT_MS);
  const workers = lines('HARNESS ').map((line) => (JSON.parse(line.slice('HARNESS '.length)) as { pid: number }).pid);
  const responses: Response[] = [];
  const wanted = Math.min(2, numCPUs);
  for (let i = 0; i < 10 && new Set(responses.map(({ pid }) => pid)).size < wanted; i++)
    responses.push(await get(port));
  script.kill();
  await script.exited();
  return { primary: script.child.pid, workers, responses, wanted };
}

function expectServedByWorkers({ primary, workers, responses, wanted }: Awaited<ReturnType<typeof serve>>) {
  expect(workers).toHaveLength(numCPUs);
  expect(workers).not.toContain(primary);
  for (const response of responses) {
    expect(response).toMatchObject({ status: 200, body: 'hello world\n' });
    expect(workers).toContain(response.pid);
  }
  expect(new Set(responses.map(({ pid }) => pid)).size).toBe(wanted);
}

describe("the API page's first example, from the installed packages", () => {
  it('serves requests from its workers as an ES module', async () => {
    expectServedByWorkers(await serve('server.mjs'));
  });

  it('serves requests from its workers as CommonJS', async () => {
    expectServedByWorkers(await serve('server.cjs'));
  });

  it('runs unmodified on node:cluster through node --require @cluster/core/register', async () => {
    const served = await serve('page-server.cjs', ['--require', '@cluster/core/register']);
    expectServedByWorkers(served);
    expect(served.responses.map(({ ours }) => ours)).toEqual(served.responses.map(() => 'true'));
  });

  it('runs unmodified on node:cluster through node --import @cluster/core/register', async () => {
    const served = await serve('page-server.mjs', ['--import', '@cluster/core/register']);
    expectServedByWorkers(served);
    expect(served.responses.map(({ ours }) => ours)).toEqual(served.responses.map(() => 'true'));
  });
});

/** Imports of every entry point of every package, so that a package added later is compiled too. */
function everyEntryPoint(form: 'import' | 'require'): string {
  const specifiers = packages.flatMap(({ name, contents }) =>
    entryPoints(readManifest(contents)).map((entry) => (entry === '.' ? name : `${name}/${entry.slice(2)}`)),
  );
  return specifiers
    .map((specifier, i) =>
      form === 'import' ? `import * as entry${i} from '${specifier}';` : `import entry${i} = require('${specifier}');`,
    )
    .concat(`export const entries = [${specifiers.map((_, i) => `entry${i}`).join(', ')}];`)
    .join('\n');
}

function compile(compiler: string, project: string, compilerOptions: Record<string, unknown>, files: string[]) {
  const config = join(consumer, project);
  writeFileSync(config, JSON.stringify({ compilerOptions: { ...compilerOptions, typeRoots, types: ['node'] }, files }));
  return run(process.execPath, [compiler, '-p', config], consumer);
}

const STRICT = {
  strict: true,
  skipLibCheck: false,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
};

describe('a strict TypeScript consumer of the installed packages', () => {
  it('compiles as ESM and as CommonJS with TypeScript 7 (module nodenext)', () => {
    writeFileSync(join(consumer, 'entries.mts'), everyEntryPoint('import'));
    writeFileSync(join(consumer, 'entries.cts'), everyEntryPoint('require'));
    compile(tsc.current, 'tsconfig.nodenext.json', { ...STRICT, module: 'nodenext', noEmit: true }, [
      'consumer.mts',
      'consumer.cts',
      'entries.mts',
      'entries.cts',
    ]);
  });

  it('compiles with TypeScript 5 under node10 resolution (module commonjs), and runs', async () => {
    writeFileSync(join(consumer, 'node10/entries.ts'), everyEntryPoint('import'));
    // Our declarations use ES2022 (ErrorOptions, #private), as Node 20 does.
    const options = {
      ...STRICT,
      target: 'es2022',
      module: 'commonjs',
      moduleResolution: 'node10',
      esModuleInterop: true,
    };
    compile(tsc.five, 'node10/tsconfig.json', { ...options, outDir: 'out' }, ['consumer.ts', 'entries.ts']);
    const script = runScript(join(consumer, 'node10/out/consumer.js'), { cwd: consumer });
    expect(await script.exited()).toEqual({ code: 0, signal: null });
    expect(JSON.parse(script.stdout[0] ?? '')).toEqual({
      isPrimary: true,
      sameObject: true,
      fork: 'function',
      createChannel: 'function',
      policies: ['ip-hash', 'least-connections', 'power-of-two', 'round-robin'],
      picked: 1,
    });
  });
});

describe('the cluster command, from the installed @cluster/cli', () => {
  it('runs an unmodified server on its workers through node_modules/.bin/cluster, and stops on SIGTERM', async () => {
    writeFileSync(
      join(consumer, 'plain-server.cjs'),
      "require('node:http').createServer((req, res) => res.end(String(process.pid))).listen(Number(process.env.PORT), '127.0.0.1');\n",
    );
    const port = await freePort();
    const script = runScript(join(consumer, 'node_modules/.bin/cluster'), {
      args: ['run', 'plain-server.cjs', '-w', '2'],
      cwd: consumer,
      env: { PORT: String(port), XDG_RUNTIME_DIR: mkdtempSync(join(work, 'runtime-')) },
      timeout: RUN_TIMEOUT_MS,
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(script.stderr.join('\n'))), RUN_TIMEOUT_MS);
      const check = () => {
        if (!script.stderr.some((line) => line.includes(`2 workers ready on http://127.0.0.1:${port}/`))) return;
        clearTimeout(timer);
        resolve();
      };
      script.child.stderr?.on('data', () => setImmediate(check));
    });
    const pids = new Set<number>();
    for (let i = 0; i < 10 && pids.size < 2; i++) {
      const response = await new Promise<string>((resolve, reject) =>
        http
          .get({ host: '127.0.0.1', port, agent: false }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => resolve(body));
          })
          .on('error', reject),
      );
      pids.add(Number(response));
    }
    expect(pids.size).toBe(2);
    script.child.kill('SIGTERM');
    expect(await script.exited()).toEqual({ code: 0, signal: null });
  });
});
