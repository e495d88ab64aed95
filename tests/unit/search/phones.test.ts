import metadata from 'libphonenumber-js/metadata.min.json';
import { describe, expect, it } from 'vitest';
import { phoneNumberWords, phoneQueryDigits, splitCallingCode, trunkPrefixOf } from '../../../lib/search/phones';

/** libphonenumber-js's metadata: calling code → countries, country → [code, idd, pattern, lengths, formats, national prefix, …]. */
const countryCodes = metadata.country_calling_codes as Record<string, string[]>;
const countries = metadata.countries as Record<string, unknown[]>;
const globalCodes = Object.keys(metadata.nonGeographic as Record<string, unknown>);

describe('the phone tables search keeps instead of libphonenumber-js', () => {
  it('know every calling code libphonenumber-js knows, and no other', () => {
    const known = [...Object.keys(countryCodes), ...globalCodes];
    for (const code of known) expect(splitCallingCode(`${code}123456789`), code).toEqual({ code, national: '123456789' });
    // Every start of a number: the code split off is libphonenumber-js's, or none when it knows none.
    const all = new Set(known);
    for (let n = 0; n < 1000; n++) {
      const digits = `${String(n).padStart(3, '0')}456789`;
      const code = [1, 2, 3].map((length) => digits.slice(0, length)).find((start) => all.has(start));
      expect(splitCallingCode(digits)?.code, digits).toBe(code);
    }
  });

  it('know each country’s trunk prefix as libphonenumber-js does', () => {
    for (const [code, regions] of Object.entries(countryCodes)) {
      // The minified metadata writes "none" as the number 0.
      const prefixes = new Set(regions.map((region) => (typeof countries[region]?.[5] === 'string' ? countries[region][5] : '')));
      expect(prefixes.size, code).toBe(1);
      expect(trunkPrefixOf(code), code).toBe([...prefixes][0]);
    }
    for (const code of globalCodes) expect(trunkPrefixOf(code), code).toBe('');
  });
});

describe('phone words', () => {
  it('cut an international number into its forms and every trailing run from four digits', () => {
    expect(phoneNumberWords('+36 30 123 4567')).toEqual([
      '36301234567', '06301234567',
      '301234567', '01234567', '1234567', '234567', '34567', '4567',
    ]);
    expect(phoneNumberWords('0044 20 7946 0018')).toEqual([
      '00442079460018', '442079460018', '02079460018',
      '2079460018', '079460018', '79460018', '9460018', '460018', '60018', '0018',
    ]);
  });

  it('cut a number stored without its country into its digits and their trailing runs', () => {
    expect(phoneNumberWords('0744 321 987')).toEqual(['0744321987', '744321987', '44321987', '4321987', '321987', '21987', '1987']);
  });

  it('look an international query up by its national digits once there are enough of them', () => {
    expect(phoneQueryDigits('+36 30 12')).toBe('363012');
    expect(phoneQueryDigits('+36 30 123 4')).toBe('36301234');
    expect(phoneQueryDigits('+36 30 123 45')).toBe('3012345');
    expect(phoneQueryDigits('0040 744 321 987')).toBe('744321987');
    expect(phoneQueryDigits('06 30 123 4567')).toBe('06301234567');
  });
});
