/** Every `quire` command, in the order `quire --help` lists them. */
import { ADMIN_COMMANDS } from './admin-commands';
import type { Command } from './command';
import { PROCESS_COMMANDS } from './process-commands';
import { QUEUE_COMMANDS } from './queue-commands';
import { serveCommand } from './serve';
import { skippedCommand } from './skipped';
import { watchCommand } from './watch';

export const COMMANDS: Command[] = [...QUEUE_COMMANDS, skippedCommand, ...PROCESS_COMMANDS, watchCommand, serveCommand, ...ADMIN_COMMANDS];
