/**
 * The case model's limits and choices, without zod: the side panel's first
 * paint needs them (select options, counters), but not the validator, which
 * loads right after (lib/schema.ts builds its schemas from these).
 */
export const LIMITS = {
  titleMax: 200,
  descriptionMax: 2000,
  tagMax: 50,
  tagsMax: 20,
  subjectMax: 200,
  productMax: 200,
  nameMax: 200,
  companyMax: 200,
  emailMax: 254,
  phoneMax: 40,
  /** How a list names a customer: a name, a company, an email or a phone, cut to the longest of those. */
  customerLabelMax: 254,
  /** What the search box sends; longer text is cut (only its first four words are searched anyway). */
  searchQueryMax: 500,
  /** Results of one search. */
  searchResultsMax: 100,
} as const;

export const ORIGINS = ['email', 'phone', 'chat', 'web', 'social', 'other'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Origin = (typeof ORIGINS)[number];
export type Priority = (typeof PRIORITIES)[number];

/** The provenance id of a remembered site default (lib/panel/site-defaults.ts): the form says "remembered for <site>". */
export const REMEMBERED = 'site';
