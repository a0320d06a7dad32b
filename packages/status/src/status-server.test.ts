import { describe, expect, it } from 'vitest';
import { startStatusServer } from './status-server.ts';

const supervisor = {
  workers: [],
  stopping: false,
  metrics: undefined,
  reload: async () => ({ replaced: 0 }),
  scale: async () => {},
  on: () => {},
};
const codeOf = async (options: unknown) => {
  try {
    const server = await startStatusServer(options as never);
    await server.close();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('startStatusServer', () => {
  it('refuses bad options with stable codes', async () => {
    expect(await codeOf(undefined)).toBe('ERR_INVALID_ARG_TYPE');
    expect(await codeOf({})).toBe('ERR_INVALID_ARG_TYPE');
    expect(await codeOf({ supervisor, port: 70_000 })).toBe('ERR_INVALID_ARG_VALUE');
    expect(await codeOf({ supervisor, host: '' })).toBe('ERR_INVALID_ARG_TYPE');
    expect(await codeOf({ supervisor, token: 'short' })).toBe('ERR_INVALID_ARG_VALUE');
  });

  it('binds to 127.0.0.1 by default, and says which port it could not bind', async () => {
    const server = await startStatusServer({ supervisor });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await codeOf({ supervisor, port: server.port })).toBe('ERR_CLUSTER_STATUS_LISTEN_FAILED');
    await server.close();
  });
});
