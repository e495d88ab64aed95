/**
 * The desks' rule that a resolved or cancelled case is read-only until
 * reopened. In a file of its own, importing nothing but a type, so that the
 * panel's components and the lowest lib files (sla.ts, write.ts) ask the same
 * question without loading the schema or the database.
 */
import type { Case } from '../schema';

/** A resolved or cancelled case is read-only until reopened (the desks' rule). */
export function isReadOnly(record: Pick<Case, 'state'>): boolean {
  return record.state !== 'active';
}
