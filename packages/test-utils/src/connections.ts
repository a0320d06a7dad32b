import net from 'node:net';

/** Opens `count` keep-alive HTTP connections to 127.0.0.1:`port`, each with one answered request, and keeps them open. */
export function holdConnections(port: number, count: number): Promise<net.Socket[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const socket = net.connect(port, '127.0.0.1', () =>
            socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n'),
          );
          socket.once('data', () => resolve(socket));
          socket.once('error', reject);
        }),
    ),
  );
}
