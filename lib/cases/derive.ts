/**
 * The fields a case keeps only so that it can be found, filtered, sorted and
 * listed without reading anything else: its tag keys, search words, customer
 * label, next SLA deadline and source key. They are never typed and never taken from a
 * backend: every writer (create, every later version, a customer's edit, a
 * sync pull, the schema migration) stores what `deriveCaseFields` returns, so
 * what is stored cannot drift from what is searched.
 *
 * The words of a case's notes (`noteWords`) are not here: they come from the
 * notes table, not from the case, and `mergeNoteWords` (lib/search/words.ts)
 * is their one derivation.
 *
 * Pure, no database, no zod: lib/db/db.ts imports it for its migration.
 */
import { customerLabel } from '../customers/label';
import type { Case, Customer } from '../schema';
import { caseWords } from '../search/words';
import { nextSlaDue } from './sla';
import { sourceKeyOf } from './source-key';

/** What of a case its derived fields depend on. */
export type CaseFieldsSource = Pick<Case, 'number' | 'title' | 'tags' | 'sla' | 'source'>;
/** What of its customer: a case is found by its customer's name, company, emails and phones. */
export type CustomerFieldsSource = Pick<Customer, 'name' | 'company' | 'emails' | 'phones'>;

export interface DerivedCaseFields {
  /** Lower-cased tags (`*tagKeys`): a filter by "vip" finds "VIP". */
  tagKeys: string[];
  /** Folded search words (`*words`): number, title, tags, the customer's name, company, emails, phones. */
  words: string[];
  /** How lists name the customer, kept so a list needs no customer read. */
  customerLabel: string;
  /** The next SLA deadline still running (`[state+slaDueAt]`); undefined without SLA. */
  slaDueAt: number | undefined;
  /** The key of the page, thread or chat it was made from (`sourceKey`): "already a case" looks it up. */
  sourceKey: string | undefined;
}

/** Lower-cased tags, for the `*tagKeys` index. */
export function tagKeysOf(tags: readonly string[]): string[] {
  return tags.map((tag) => tag.toLocaleLowerCase());
}

/** The derived fields of a case with this customer (undefined: none stored, or not found). */
export function deriveCaseFields(record: CaseFieldsSource, customer: CustomerFieldsSource | undefined): DerivedCaseFields {
  return {
    tagKeys: tagKeysOf(record.tags),
    words: caseWords(record, customer),
    customerLabel: customerLabel(customer),
    slaDueAt: nextSlaDue(record.sla),
    sourceKey: sourceKeyOf(record.source?.url),
  };
}
