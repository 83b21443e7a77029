/** Errors cross process boundaries as data (STYLE rule 7): `message` is a sentence for a person; `kind` is stable. */
export type ApiError = { name: string; message: string; kind: string };
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };
