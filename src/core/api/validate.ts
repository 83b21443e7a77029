/**
 * Argument checks for every handler. Arguments come from a renderer or an HTTP client, so they
 * are untrusted whatever their static type says; a bad one is refused with a sentence.
 */
import { QuireError } from '../../shared/errors';

export function bad(message: string): QuireError {
  return new QuireError('invalid_argument', message);
}

export function record(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  // Plain objects only: IPC's structured clone also carries Maps, Dates and typed arrays.
  const proto: unknown = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
  if (typeof v !== 'object' || (proto !== Object.prototype && proto !== null)) throw bad(`${what} expects an object of named arguments.`);
  return v as Record<string, unknown>;
}

/**
 * A handler's named arguments: an object (or nothing) with no key outside `allowed`. A key whose
 * value is undefined counts as absent: IPC keeps such keys, JSON drops them.
 */
export function fields(v: unknown, allowed: readonly string[], what: string): Record<string, unknown> {
  const o = record(v, what);
  for (const key of Object.keys(o)) {
    if (o[key] !== undefined && !allowed.includes(key)) {
      throw bad(allowed.length ? `"${key.slice(0, 100)}" is not an argument of ${what}.` : `${what} takes no arguments ("${key.slice(0, 100)}" was given).`);
    }
  }
  return o;
}

export function str(o: Record<string, unknown>, key: string, opts: { max?: number } = {}): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) throw bad(`"${key}" must be a non-empty text value.`);
  if (v.length > (opts.max ?? 4096)) throw bad(`"${key}" is too long.`);
  if (v.includes('\0')) throw bad(`"${key}" contains a NUL character.`);
  return v;
}

export function optStr(o: Record<string, unknown>, key: string, opts: { max?: number } = {}): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  return str(o, key, opts);
}

export function oneOf<T extends string>(o: Record<string, unknown>, key: string, allowed: readonly T[]): T {
  const v = o[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw bad(`"${key}" must be one of: ${allowed.join(', ')}.`);
  }
  return v as T;
}

export function optOneOf<T extends string>(o: Record<string, unknown>, key: string, allowed: readonly T[]): T | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw bad(`"${key}" must be one of: ${allowed.join(', ')}.`);
  }
  return v as T;
}

export function optInt(o: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw bad(`"${key}" must be a whole number from ${min} to ${max}.`);
  }
  return v;
}

export function strList(o: Record<string, unknown>, key: string, opts: { maxItems?: number; allowEmpty?: boolean } = {}): string[] {
  const v = o[key];
  const maxItems = opts.maxItems ?? 1000;
  if (!Array.isArray(v) || (v.length === 0 && !opts.allowEmpty)) {
    throw bad(opts.allowEmpty ? `"${key}" must be a list of strings.` : `"${key}" must be a list of at least one path.`);
  }
  if (v.length > maxItems) throw bad(`"${key}" has more than ${maxItems} entries.`);
  return v.map((_, i) => str(v as unknown as Record<string, unknown>, String(i)));
}

export function optBool(o: Record<string, unknown>, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw bad(`"${key}" must be true or false.`);
  return v;
}

/** An absolute path (POSIX `/…`, Windows `C:\…` or `\\server\…`): a server must never resolve a relative one against its own folder. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}
