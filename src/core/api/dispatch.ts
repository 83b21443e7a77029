/**
 * Calling a handler on behalf of a transport: errors become data (STYLE rule 7), so IPC and HTTP
 * carry the same `Result` and the UI reads `error.message` as a sentence.
 */
import { QuireError } from '../../shared/errors';
import type { Logger } from '../logger';
import type { ApiError, Result } from '../../shared/result';
import type { ApiHandlers } from './handlers';

export function toApiError(err: unknown): ApiError {
  if (err instanceof QuireError) return { name: err.name, message: err.message, kind: err.code };
  return {
    name: 'Error',
    message: `Something went wrong inside Quire: ${(err as Error)?.message ?? String(err)}`,
    kind: 'internal',
  };
}

export async function dispatch(handlers: ApiHandlers, name: string, arg: unknown, logger?: Logger): Promise<Result<unknown>> {
  if (!Object.prototype.hasOwnProperty.call(handlers, name)) {
    return { ok: false, error: { name: 'QuireError', message: `There is no API call named "${name}".`, kind: 'unknown_call' } };
  }
  try {
    const fn = handlers[name as keyof ApiHandlers] as (a?: unknown) => Promise<unknown>;
    return { ok: true, value: await fn(arg) };
  } catch (err) {
    if (!(err instanceof QuireError)) logger?.error('handler failed', { name, error: String((err as Error)?.stack ?? err) });
    return { ok: false, error: toApiError(err) };
  }
}
