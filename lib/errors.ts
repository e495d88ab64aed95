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
