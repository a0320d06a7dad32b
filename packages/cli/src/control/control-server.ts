import { lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { LineSplitter } from '../run/line-splitter.ts';
import {
  BadRequest,
  type ControlError,
  type ControlReply,
  type ControlRequest,
  MAX_REQUEST_BYTES,
  parseRequest,
} from './protocol.ts';

/** Answers one request; `progress` sends an intermediate line (a reload's slots). */
export type ControlHandler = (request: ControlRequest, progress: (event: unknown) => void) => Promise<unknown>;

/**
 * The instance's control socket: a Unix socket, mode 0600 in a 0700 folder, so that only its user can
 * drive it. Every request is checked (`parseRequest`) before anything is done; a bad one gets
 * `ERR_CLUSTER_BAD_REQUEST` and the connection is closed.
 */
export class ControlServer {
  readonly #server: net.Server;
  readonly #path: string;
  readonly #sockets = new Set<net.Socket>();
  /** The socket file's inode, so that closing removes our file and never a newer instance's. */
  #inode: number | undefined;

  private constructor(path: string, handler: ControlHandler) {
    this.#path = path;
    this.#server = net.createServer((socket) => this.#serve(socket, handler));
  }

  /** Listens on `path`, which must not exist (the caller removed a stale one). */
  static async listen(path: string, handler: ControlHandler): Promise<ControlServer> {
    const control = new ControlServer(path, handler);
    await new Promise<void>((resolve, reject) => {
      control.#server.once('error', reject);
      // bind() happens inside listen(), synchronously: the socket file is born 0600.
      const previous = process.umask(0o177);
      try {
        control.#server.listen(path, () => resolve());
      } finally {
        process.umask(previous);
      }
    });
    control.#inode = lstatSync(path).ino;
    control.#server.unref();
    return control;
  }

  get path(): string {
    return this.#path;
  }

  /** Stops listening, ends the connections and removes the socket file. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.end();
    try {
      if (lstatSync(this.#path).ino === this.#inode) unlinkSync(this.#path);
    } catch {
      // Already gone.
    }
    await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref())]);
  }

  #serve(socket: net.Socket, handler: ControlHandler): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    socket.on('error', () => {});
    const send = (reply: ControlReply) => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
    };
    const refuse = (error: ControlError) => {
      send({ id: -1, ok: false, error });
      socket.end();
    };
    const lines = new LineSplitter((line) => {
      if (Buffer.byteLength(line) >= MAX_REQUEST_BYTES) {
        refuse({ code: 'ERR_CLUSTER_BAD_REQUEST', message: `a request is at most ${MAX_REQUEST_BYTES} bytes` });
        return;
      }
      if (line.trim() === '') return;
      let request: ControlRequest;
      try {
        request = parseRequest(line);
      } catch (error) {
        if (error instanceof BadRequest) refuse({ code: error.code, message: error.message });
        return;
      }
      handler(request, (progress) => send({ id: request.id, progress })).then(
        (result) => send({ id: request.id, ok: true, result: result ?? null }),
        (error: Error & { code?: string; cause?: { code?: string } }) =>
          send({
            id: request.id,
            ok: false,
            error: {
              code: error.code ?? 'ERR_CLUSTER_CONTROL_FAILED',
              message: error.message,
              ...(error.cause?.code === undefined ? {} : { cause: error.cause.code }),
            },
          }),
      );
    });
    socket.on('data', (chunk: Buffer) => lines.write(chunk));
    socket.on('end', () => {
      lines.end();
    });
  }
}
