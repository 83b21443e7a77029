/**
 * A switchable HTTP proxy in front of `quire serve`, for the connection-lost tests: `cut()` drops
 * every connection and refuses new ones (as a stopped server or a lost network does), `restore()`
 * answers again on the same port. Host and Origin are rewritten to the server's own, so its
 * Host/Origin checks see what a browser talking to it directly would send.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Proxy {
  port: number;
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** Send requests to another server port (a restarted server). */
  retarget(port: number): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<Proxy> {
  let target = targetPort;
  const sockets = new Set<Socket>();
  let server: Server;
  const make = () => {
    const s = createServer((req, res) => {
      const headers = { ...req.headers, host: `127.0.0.1:${target}` };
      if (headers.origin) headers.origin = `http://127.0.0.1:${target}`;
      const up = request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    s.on('connection', (c) => {
      sockets.add(c);
      c.on('close', () => sockets.delete(c));
    });
    return s;
  };
  const listen = (port: number) =>
    new Promise<number>((ok, fail) => {
      server = make();
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => ok((server.address() as AddressInfo).port));
    });
  const port = await listen(0);
  const cut = async () => {
    const closed = new Promise<void>((ok) => server.close(() => ok()));
    for (const c of sockets) c.destroy();
    await closed;
  };
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    cut,
    restore: async () => void (await listen(port)),
    retarget(p) {
      target = p;
    },
    close: () => (server.listening ? cut() : Promise.resolve()),
  };
}
