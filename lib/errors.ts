/**
 * Errors a person can read: each carries a message key (`form.title.tooLong`)
 * that the UI resolves through i18n and shows next to the field at `path`.
 */

export class SidecaseError extends Error {
  constructor(
    readonly key: string,
    readonly path?: string,
  ) {
    super(key);
    this.name = 'SidecaseError';
  }
}

/** Field path ('customer.email') → message key; the first problem of each field wins. */
export type FieldErrors = Record<string, string>;

export class ValidationError extends SidecaseError {
  constructor(readonly fields: FieldErrors) {
    super('form.invalid');
    this.name = 'ValidationError';
  }
}

/** Turn zod issues into one message key per field, the form's way of showing them. */
/** The part of a zod error (classic or mini) this needs. */
export interface IssueList {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>;
}

export function fieldErrorsOf(error: IssueList): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    // A problem with one tag belongs to the tag input as a whole.
    const path = issue.path[0] === 'tags' ? 'tags' : issue.path.map(String).join('.');
    const key = issue.message.includes('.') ? issue.message : 'form.invalid';
    fields[path] ??= key;
  }
  return fields;
}

/**
 * Storage full, however it arrives: IndexedDB's QuotaExceededError itself, or
 * Dexie's AbortError / wrapper carrying it as `inner` (or `cause`), at any depth.
 */
export function isQuotaError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const err = e as { name?: unknown; inner?: unknown; cause?: unknown; message?: unknown };
    if (err.name === 'QuotaExceededError') return true;
    // Some engines abort the transaction with only the message naming the cause.
    if (err.name === 'AbortError' && typeof err.message === 'string' && /quota/i.test(err.message)) return true;
    e = err.inner ?? err.cause;
  }
  return false;
}
