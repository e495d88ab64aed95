/**
 * What the stored cases' derived fields are at (lib/search/reindex.ts brings
 * older cases up to it in the background), kept apart so that a reader can
 * ask without loading the re-index.
 *
 * 2: a customer's phones in every form agents type (lib/search/phones.ts, issue 13).
 * 3: each case's source key (`sourceKey`, indexed from schema version 4).
 */
export const WORDS_VERSION = 3;
export const WORDS_VERSION_KEY = 'searchWordsVersion';
/** From this version on, every stored case has its `sourceKey`. */
export const SOURCE_KEY_SINCE = 3;
