/**
 * The numbers agents keep: a run of digits labelled as an order, invoice,
 * tracking, ticket or case number right before it (in the four languages,
 * a known carrier's or shop's name allowed between: "resi JNE", "AWB FAN Courier")
 * is never a card or a national id, whatever its check digit says. A random
 * 16-digit order number passes the Luhn check one time in ten, and a NIK's
 * structure check about one time in a hundred.
 *
 * "număr" is written num\u0103r: one character above U+00FF in a script makes
 * V8 hold the whole script's source (the background's, 390 KB) as two-byte text.
 */
const KEPT_NUMBER_LABEL =
  /(?:\b(?:order|invoice|tracking|shipment|parcel|awb|ticket|case|ref(?:erence)?|transaction|rendelés\p{L}*|számla\p{L}*|csomag\p{L}*|comand\p{L}*|factur\p{L}*|colet\p{L}*|pesanan|faktur|resi|tagihan|referensi|transaksi)\.?(?:\s+(?:jne|j&t|jnt|sicepat|anteraja|ninja|fan courier|sameday|cargus|dpd|gls|dhl|ups|fedex|usps|posta|mpl|emag|tokopedia|shopee|lazada|amazon|no\.?|nr\.?|number|id|szám\p{L}*|sorszám\p{L}*|num\u0103r\p{L}*|nomor)){0,2}\s*[:#.]?\s*|#\s*)$/iu;

/** Whether the number starting at `start` is labelled as one agents keep. */
export function isKeptNumber(text: string, start: number): boolean {
  return KEPT_NUMBER_LABEL.test(text.slice(Math.max(0, start - 40), start));
}
