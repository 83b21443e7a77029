/** `quire serve`: argument parsing and the printed URL; the server itself lives in src/server. */
import { QuireError } from '../core/errors';
import { createLogger } from '../core/logger';
import { serveQuire } from '../server/serve';
import type { Command } from './commands';

export const serveCommand: Command = {
  name: 'serve',
  usage: 'quire serve [--port N] [--host H]',
  summary: 'Serve the Quire UI and API on http://127.0.0.1 (prints a URL with an access token).',
  options: { port: { type: 'string' }, host: { type: 'string' } },
  async run(ctx) {
    const rawPort = (ctx.flags.port as string | undefined) ?? '7707';
    if (!/^\d+$/.test(rawPort) || Number(rawPort) > 65535) {
      throw new QuireError('usage', `--port must be a number from 0 to 65535 (0 picks a free port), not "${rawPort}".`);
    }
    const bindHost = (ctx.flags.host as string | undefined) ?? '127.0.0.1';
    let running;
    try {
      // Warnings and errors (a failing request, a broken event listener) go to stderr as JSON lines.
      running = await serveQuire({ quire: ctx.quire, port: Number(rawPort), bindHost, logger: createLogger({ level: 'warn' }) });
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
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await running.close();
    return 0;
  },
};
