// @ts-check
// Forks a plain child and talks to it with typed requests, over the same channel as user messages.
import { fork } from 'node:child_process';
import { createChannel } from '@cluster/ipc';

const child = fork(new URL('./child.mjs', import.meta.url), { serialization: 'advanced' });
/** @type {import('@cluster/ipc').Channel<import('./api.js').ParentApi, import('./api.js').ChildApi>} */
const channel = createChannel(child, { namespace: 'calc' });

const ready = new Promise((resolve) => channel.handle('ready', resolve));
channel.handle('log', (line) => console.log(`child: ${line}`));

const { pid } = /** @type {{ pid: number }} */ (await ready);
console.log(`child ${pid} is ready`);
console.log(`2 + 3 = ${await channel.request('add', { a: 2, b: 3 })}`);
console.log(`7 / 2 = ${await channel.request('divide', { a: 7, b: 2 }, { timeout: 1_000 })}`);
try {
  await channel.request('divide', { a: 1, b: 0 });
} catch (error) {
  const { name, code } = /** @type {Error & { code?: string }} */ (error);
  console.log(`1 / 0 failed: ${name} ${code}`);
}
child.send({ hello: 'world' });
// 'advanced' serialization: the Date arrives as a Date.
const stats = await channel.request('stats', null);
console.log(`${stats.calls} calls since a ${stats.since.constructor.name}`);
// Disconnecting lets the child exit; a request made now would reject with ERR_IPC_CHANNEL_CLOSED.
child.disconnect();
