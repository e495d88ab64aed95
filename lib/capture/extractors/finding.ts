/**
 * What a structured-data extractor reports: one person or organisation the
 * page describes, with the raw contact details it states. Cleaning and
 * normalising happen once, in capture.ts.
 */
export interface ContactFinding {
  kind: 'person' | 'organization';
  name?: string;
  company?: string;
  emails: string[];
  phones: string[];
  /**
   * A person who is a property of another item (an article's author): not
   * who the page is about, so a customer only with a way to reach them.
   */
  nested?: boolean;
}

/** Caps how many items a structured-data extractor looks at, so a huge page stays cheap. */
export const MAX_ITEMS = 200;
