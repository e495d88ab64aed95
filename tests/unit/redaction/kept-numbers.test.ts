import { describe, expect, it } from 'vitest';
import { isKeptNumber } from '../../../lib/redaction/kept-numbers';

/** Whether the digits in `text` (the first run of them) are kept as labelled. */
const kept = (text: string) => isKeptNumber(text, text.search(/\d/));

describe('labelled numbers agents keep', () => {
  it('keeps a Romanian order number labelled "număr", in any case, and not one labelled with the number word alone', () => {
    expect(kept('Comanda număr 4111111111111111')).toBe(true);
    expect(kept('COMANDA NUMĂRUL: 4111111111111111')).toBe(true);
    expect(kept('Factura numărul 4111111111111111')).toBe(true);
    expect(kept('număr 4111111111111111')).toBe(false);
  });

  it('keeps the Hungarian and Indonesian labels too', () => {
    expect(kept('Rendelésszám: 4111111111111111')).toBe(true);
    expect(kept('resi JNE 4111111111111111')).toBe(true);
    expect(kept('kártya 4111111111111111')).toBe(false);
  });
});
