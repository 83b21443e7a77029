/** `quire serve`: argument parsing and the printed URL; the HTTP transport lives in src/server. */
import { join } from 'node:path';
import { QuireError } from '../shared/errors';
import { packageRoot } from '../core/paths';
import { startServer } from '../server/server';
import { serveToken } from '../server/token';
import type { Command } from './command';

const SHUTDOWN_GRACE_MS = 30_000;

export const serveCommand: Command = {
  name: 'serve',
  createsQueue: () => true,
  usage: 'quire serve [--port N] [--host H] [--no-workers] [--new-token]',
  summary: 'Serve the Quire UI and API on http://127.0.0.1 with OCR workers and folder watching (prints a URL with an access token).',
  help:
    '  --port N       port (default 7707; 0 picks a free one)\n' +
    '  --host H       address to listen on (default 127.0.0.1; 0.0.0.0 exposes it to the network)\n' +
    '  --no-workers   UI, API and watching only, next to a quire worker elsewhere\n' +
    '  --new-token    replace this data folder\'s access token (old addresses stop working)',
  options: { port: { type: 'string' }, host: { type: 'string' }, 'no-workers': { type: 'boolean' }, 'new-token': { type: 'boolean' } },
  async run(ctx) {
    const rawPort = (ctx.flags.port as string | undefined) ?? '7707';
    if (!/^\d+$/.test(rawPort) || Number(rawPort) > 65535) {
      throw new QuireError('usage', `--port must be a number from 0 to 65535 (0 picks a free port), not "${rawPort}".`);
    }
    const bindHost = (ctx.flags.host as string | undefined) ?? '127.0.0.1';
    // Signals that arrive while the pool starts still stop the server cleanly.
    let signalled = 0;
    let onStop: () => void = () => {};
    const onSignal = () => {
      signalled++;
      if (signalled === 1) onStop();
      else void host?.stop(0);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let host: Awaited<ReturnType<typeof ctx.open>> | undefined;
    try {
      host = await ctx.open({ workers: ctx.flags['no-workers'] ? false : {}, watch: true, live: true, maintenance: true });
      let running;
      try {
        // The data folder's token (the same URL after a restart); --new-token replaces it.
        const token = serveToken(ctx.dataDir, { renew: !!ctx.flags['new-token'] });
        running = await startServer({ host, logger: host.quire.logger, port: Number(rawPort), bindHost, rendererDir: join(packageRoot(), 'out', 'renderer'), token });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new QuireError('port_in_use', `Port ${rawPort} is already in use; choose another with --port (0 picks a free one).`);
        if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new QuireError('bad_host', `Cannot listen on ${bindHost}: no such address on this machine.`);
        throw err;
      }
      ctx.io.out.write(`Quire is serving at ${running.openUrl}\n`);
      if (bindHost !== '127.0.0.1' && bindHost !== 'localhost' && bindHost !== '::1') {
        ctx.io.err.write(`Listening on ${bindHost}: anyone who can reach it and has the token can use this queue.\n`);
      }
      ctx.io.err.write('Open that URL in a browser; press Ctrl+C to stop.\n');
      if (!signalled) await new Promise<void>((resolve) => (onStop = resolve));
      if (host.pool?.stats().busy) {
        ctx.io.err.write(`Stopping: running jobs get ${SHUTDOWN_GRACE_MS / 1000} s to finish, the rest go back to the queue. Press Ctrl+C again to stop now.\n`);
      }
      // The UI keeps answering while running jobs finish; then the workers and watcher stop, then the server.
      await host.stop(SHUTDOWN_GRACE_MS);
      await running.close();
    } finally {
      await host?.stop(0);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return 0;
  },
};
