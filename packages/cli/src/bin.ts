#!/usr/bin/env node
import { once } from 'node:events';
import { processIo } from './io.ts';
import { main } from './main.ts';

const code = await main(process.argv.slice(2), processIo());
// Everything written reaches its reader before the exit (a pipe's writes are asynchronous).
for (const stream of [process.stdout, process.stderr]) {
  if (stream.writableLength > 0 && !stream.destroyed)
    await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
}
process.exit(code);
