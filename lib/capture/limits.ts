/**
 * Caps on everything a capture returns. They mirror LIMITS in lib/schema.ts
 * (a unit test checks that they agree) but live here, free of zod, because
 * this file is bundled into the script that runs in the page.
 */
export const CAPTURE_LIMITS = {
  /** Page text read for patterns: 100 KB, the bound for a 2 MB page. */
  defaultTextLength: 100_000,
  /** Never read more than this, whatever the caller asks. */
  maxTextLength: 1_000_000,
  name: 200,
  company: 200,
  jobTitle: 200,
  email: 254,
  phone: 40,
  title: 200,
  description: 2000,
  url: 4096,
  pageTitle: 1000,
  selection: 10_000,
  /** Candidates offered to the agent: enough for a signature-heavy thread, bounded for a phone book page. */
  candidates: 50,
} as const;
