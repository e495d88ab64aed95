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
   * A property of another item (an article's author, a store's department):
   * not what the page is about, so it is a customer only with a way to reach it.
   */
  nested?: boolean;
}

/** Caps how many items a structured-data extractor looks at, so a huge page stays cheap. */
export const MAX_ITEMS = 200;
