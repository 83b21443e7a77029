/** What a CLI command is and gets. Commands parse their own arguments, call the host's API, and format. */
import type { Host, HostOptions } from '../core/host';
import type { Io } from './output';

/** What a command asks its host to run besides the API. */
export type HostParts = Pick<HostOptions, 'workers' | 'watch' | 'live' | 'maintenance' | 'listener'>;

export interface CommandContext {
  /** Opens this command's host (once); main closes it when the command ends. */
  open(parts?: HostParts): Promise<Host>;
  args: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  io: Io;
  /** The data folder this command uses (for admin tools that work on the database file). */
  dataDir: string;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** More lines for `quire <command> --help`: what each option does. */
  help?: string;
  /** For `quire <command> --help`: what it does in more words, exit codes, an example. */
  details?: string;
  options?: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
  /** Runs before any database is opened (repair). */
  noStore?: boolean;
  /**
   * Whether this invocation may create a new queue (a new quire.db in the data folder). Commands
   * that only read or change existing work refuse a data folder with no queue, so a mistyped
   * --data-dir is an error instead of an empty answer.
   */
  createsQueue?: (args: string[], flags: CommandContext['flags']) => boolean;
  run(ctx: CommandContext): Promise<number>;
}
