// @ts-check
// A plain child process: no cluster, only @cluster/ipc over the channel `fork()` opened.
import { createChannel } from '@cluster/ipc';

/** @type {import('@cluster/ipc').Channel<import('./api.js').ChildApi, import('./api.js').ParentApi>} */
const channel = createChannel(process, { namespace: 'calc' });
const since = new Date();
let calls = 0;

channel
  .handle('add', ({ a, b }) => {
    calls++;
    return a + b;
  })
  .handle('divide', async ({ a, b }) => {
    calls++;
    if (b === 0) throw Object.assign(new RangeError('Division by zero'), { code: 'ERR_DIVISION_BY_ZERO' });
    return a / b;
  })
  .handle('stats', () => ({ calls, since }));

// User messages share the channel and never see the frames above.
process.on('message', (message) => channel.notify('log', `user message: ${JSON.stringify(message)}`));

channel.notify('ready', { pid: process.pid });
