/**
 * How text is compared wherever Sidecase matches what an agent typed: search
 * words, customer suggestion keys, phone look-ups, attachment names. Pure, no
 * imports: both lib/search and lib/customers build on it, so it sits below
 * them both.
 */

/** Lower case without accents: "Kovács" is found by "kovacs" too. */
export function foldText(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase().trim();
}

/** The digits of a phone number, however it was spaced: "+36 20 123-4567" → 36201234567. */
export function phoneDigits(value: string): string {
  return value.replace(/\D/g, '');
}
