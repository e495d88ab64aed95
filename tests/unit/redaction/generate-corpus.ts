/**
 * Writes corpus.json: the redaction corpus. Run once with
 * `node --import tsx tests/unit/redaction/generate-corpus.ts`; the JSON is
 * committed and is what the test reads, so a change to a detector never
 * changes its own corpus.
 *
 * Positives: invented values built by each scheme's own rule (Luhn over an
 * issuer's range, mod 97, CNP/TAJ/tax id/NIK check digits), written as
 * customers write them in mails and chats, in the four languages.
 * Negatives: what agents must keep, in the formats real shops, carriers,
 * banks and desks print them: order, invoice, tracking and case numbers,
 * phone numbers of the four countries, dates, amounts; and near misses of
 * each kind (a card with one digit wrong, an IBAN with bad check digits…).
 * Numbers drawn at random are drawn with a fixed seed, never filtered
 * through the detectors.
 */
import { writeFileSync } from 'node:fs';
import { composeIBAN, isValidIBAN } from 'ibantools';

// SEED and OUT (env) draw another corpus, e.g. a held-out one to check that the detectors were not tuned to this one.
let seed = Number(process.env.SEED ?? 20261201);
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)]!;
const digits = (n: number) => Array.from({ length: n }, () => int(0, 9)).join('');
const pad = (n: number, width: number) => String(n).padStart(width, '0');

function luhnDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}
const card = (prefix: string, length: number) => {
  const body = prefix + digits(length - prefix.length - 1);
  return body + luhnDigit(body);
};
const group4 = (s: string, sep = ' ') => s.match(/.{1,4}/g)!.join(sep);
const amex = (s: string) => `${s.slice(0, 4)} ${s.slice(4, 10)} ${s.slice(10)}`;

const CARD_PREFIXES: Array<[string, number]> = [
  ['4', 16], ['4', 16], ['4', 16], ['51', 16], ['52', 16], ['53', 16], ['54', 16], ['55', 16], ['2221', 16], ['2720', 16],
  ['34', 15], ['37', 15], ['6011', 16], ['65', 16], ['3528', 16], ['3589', 16], ['36', 14], ['62', 16], ['4', 19], ['2200', 16],
];

function cnp(): string {
  const s = pick(['1', '2', '5', '6']);
  const year = s === '5' || s === '6' ? int(0, 9) : int(40, 99);
  const month = int(1, 12);
  const day = int(1, 28);
  const county = pick([1, 4, 12, 22, 26, 32, 35, 40, 41, 42, 46, 51, 52]);
  const body = s + pad(year, 2) + pad(month, 2) + pad(day, 2) + pad(county, 2) + pad(int(1, 999), 3);
  const w = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];
  const sum = w.reduce((acc, x, i) => acc + x * Number(body[i]), 0) % 11;
  return body + (sum === 10 ? 1 : sum);
}
function taj(): string {
  const body = digits(8);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(body[i]) * (i % 2 === 0 ? 3 : 7);
  return body + (sum % 10);
}
function huTaxId(): string {
  for (;;) {
    const body = '8' + pad(int(12_500, 50_000), 5) + digits(3);
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(body[i]) * (i + 1);
    if (sum % 11 !== 10) return body + (sum % 11);
  }
}
function nik(): string {
  const province = pick(['31', '32', '33', '35', '36', '51', '12', '73', '64', '91']);
  const female = random() < 0.5;
  const day = int(1, 28) + (female ? 40 : 0);
  return province + pad(int(1, 79), 2) + pad(int(1, 40), 2) + pad(day, 2) + pad(int(1, 12), 2) + pad(int(50, 99), 2) + pad(int(1, 9999), 4);
}
const IBAN_BBANS: Array<[string, () => string]> = [
  ['RO', () => pick(['BTRL', 'RNCB', 'BRDE', 'INGB', 'BACX']) + 'RON' + 'CRT' + digits(10)],
  ['HU', () => digits(24)],
  ['DE', () => digits(18)],
  ['GB', () => pick(['NWBK', 'BARC', 'HBUK', 'LOYD']) + digits(14)],
  ['NL', () => pick(['ABNA', 'INGB', 'RABO']) + digits(10)],
  ['FR', () => digits(10) + 'A' + digits(10) + digits(2)],
  ['AT', () => digits(16)],
  ['ES', () => digits(20)],
  ['IT', () => 'X' + digits(10) + digits(12)],
];
function iban(): string {
  for (;;) {
    const [country, bban] = pick(IBAN_BBANS);
    // Some countries add a national check to the BBAN (HU, FR, ES…): draw again until the whole IBAN is one a bank could issue.
    const value = composeIBAN({ countryCode: country, bban: bban() });
    if (value && isValidIBAN(value)) return value;
  }
}

type Expected = { label: string; value: string };
type Entry = { kind: string; text: string; expect: Expected[] };
const positives: Entry[] = [];
const negatives: Entry[] = [];
const pos = (kind: string, text: string, ...expect: Expected[]) => positives.push({ kind, text, expect });
const neg = (kind: string, text: string) => negatives.push({ kind, text, expect: [] });

// ---------------------------------------------------------------- cards
const cardTemplates = [
  (v: string) => `Hi, I paid with my card ${v} but the order never arrived.`,
  (v: string) => `Card number: ${v}\nExpiry 08/27`,
  (v: string) => `Bună ziua, am plătit cu cardul ${v} și suma a fost retrasă de două ori.`,
  (v: string) => `Kártyaszám: ${v}, kérem a visszatérítést.`,
  (v: string) => `Saya sudah bayar pakai kartu kredit ${v} tapi pesanan belum dikirim.`,
  (v: string) => `the charge on ${v} is wrong`,
  (v: string) => `> Card no. ${v}\n> Name on card: Jane Doe`,
  (v: string) => `${v}`,
];
for (let i = 0; i < 60; i++) {
  const [prefix, length] = CARD_PREFIXES[i % CARD_PREFIXES.length]!;
  const number = card(prefix, length);
  const written = length === 15 ? (i % 2 ? amex(number) : number) : pick([number, group4(number), group4(number, '-'), group4(number)]);
  pos('card', cardTemplates[i % cardTemplates.length]!(written), { label: 'card', value: written });
}

// ---------------------------------------------------------------- iban
const ibanTemplates = [
  (v: string) => `Please refund to my account IBAN: ${v}`,
  (v: string) => `Vă rog returnați banii în contul ${v} (Banca Transilvania).`,
  (v: string) => `Számlaszámom (IBAN): ${v}`,
  (v: string) => `Mohon transfer ke IBAN ${v} atas nama saya.`,
  (v: string) => `Beneficiary: Jane Doe\nIBAN ${v}\nBIC BTRLRO22`,
  (v: string) => `${v}`,
];
for (let i = 0; i < 60; i++) {
  const value = iban();
  const written = i % 3 === 0 ? value : value.match(/.{1,4}/g)!.join(' ');
  pos('iban', ibanTemplates[i % ibanTemplates.length]!(written), { label: 'iban', value: written });
}

// ---------------------------------------------------------------- secrets
const b64url = (n: number) => Array.from({ length: n }, () => pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'])).join('');
const alnum = (n: number, set = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') =>
  Array.from({ length: n }, () => pick([...set])).join('');
const passwords = ['Hunter2!', 'Alma1234', 'Parola#2024', 'rahasia99', 'Tr0ub4dor&3', 'S3cure-Pass', 'kutya_Macska7', 'Bucuresti!1', 'Jakarta2024', 'q1w2e3r4'];
const secretMakers: Array<() => [string, string]> = [
  () => { const p = pick(passwords); return [`My password: ${p}`, p]; },
  () => { const p = pick(passwords); return [`Jelszó: ${p}\nFelhasználó: kovacs.anna`, p]; },
  () => { const p = pick(passwords); return [`Utilizator: ion.popescu, parola: ${p}`, p]; },
  () => { const p = pick(passwords); return [`Username budi.santoso, kata sandi: ${p}`, p]; },
  () => { const p = pick(passwords); return [`the password is "${p}" since yesterday`, p]; },
  () => { const p = pick(passwords); return [`Parolă=${p}`, p]; },
  () => { const p = pick(passwords); return [`A jelszavam: ${p} de nem működik`, p]; },
  () => { const p = String(int(1000, 9999)); return [`PIN: ${p}`, p]; },
  () => { const v = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ${b64url(40)}.${b64url(43)}`; return [`Token from the app: ${v}`, v]; },
  () => { const v = b64url(48); return [`curl -H "Authorization: Bearer ${v}" https://api.example.com`, v]; },
  () => { const v = `AKIA${alnum(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`; return [`aws_access_key_id = ${v}`, v]; },
  () => { const v = `AIza${b64url(35)}`; return [`Maps key ${v} stopped working`, v]; },
  () => { const v = `ghp_${alnum(36)}`; return [`I used the token ${v} to clone`, v]; },
  () => { const v = `sk_live_${alnum(24)}`; return [`Stripe secret: ${v}`, v]; },
  () => { const v = `xoxb-${int(1e10, 9e10)}-${int(1e10, 9e10)}-${alnum(24)}`; return [`Slack bot token ${v}`, v]; },
  () => { const v = `sk-proj-${b64url(48)}`; return [`OPENAI_API_KEY=${v}`, v]; },
  () => { const v = `SG.${b64url(22)}.${b64url(43)}`; return [`SendGrid API key ${v}`, v]; },
  () => { const v = `glpat-${b64url(20)}`; return [`GitLab token: ${v}`, v]; },
  () => {
    const v = `-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA${alnum(60)}\n${alnum(64)}\n-----END RSA PRIVATE KEY-----`;
    return [`here is the key file:\n${v}\nthanks`, v];
  },
  () => {
    const v = `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ${alnum(40)}\n-----END OPENSSH PRIVATE KEY-----`;
    return [v, v];
  },
];
const secretLabel = (i: number) => (i < 8 ? 'password' : [8, 9, 12, 14, 17].includes(i) ? 'token' : i >= 18 ? 'privateKey' : 'apiKey');
for (let i = 0; i < 60; i++) {
  const which = i % secretMakers.length;
  const [text, value] = secretMakers[which]!();
  pos('secret', text, { label: secretLabel(which), value });
}

// ---------------------------------------------------------------- national ids
const idMakers: Array<() => [string, string, string]> = [
  () => { const v = cnp(); return [`CNP: ${v}, domiciliat în Cluj-Napoca`, v, 'cnp']; },
  () => { const v = cnp(); return [`Numele meu este Ion Popescu, codul numeric personal ${v}.`, v, 'cnp']; },
  () => { const v = taj(); return [`TAJ-szám: ${v.slice(0, 3)} ${v.slice(3, 6)} ${v.slice(6)}`, `${v.slice(0, 3)} ${v.slice(3, 6)} ${v.slice(6)}`, 'taj']; },
  () => { const v = taj(); return [`A TAJ számom ${v}, kérem rögzítsék.`, v, 'taj']; },
  () => { const v = huTaxId(); return [`Adóazonosító jel: ${v}`, v, 'huTaxId']; },
  () => { const v = huTaxId(); return [`Az adóazonosítóm ${v}, a számlára kérem.`, v, 'huTaxId']; },
  () => { const v = nik(); return [`NIK: ${v}\nNama: Siti Rahayu`, v, 'nik']; },
  () => { const v = nik(); return [`Nomor KTP saya ${v} untuk verifikasi akun.`, v, 'nik']; },
];
for (let i = 0; i < 64; i++) {
  const [text, value, label] = idMakers[i % idMakers.length]!();
  pos('nationalId', text, { label, value });
}

// ---------------------------------------------------------------- negatives: what agents keep
const phoneRo = () => pick([`+40 7${int(20, 79)} ${int(100, 999)} ${int(100, 999)}`, `07${int(20, 79)} ${int(100, 999)} ${int(100, 999)}`, `07${int(20, 79)}-${int(100, 999)}-${int(100, 999)}`, `021 ${int(200, 399)} ${int(1000, 9999)}`, `+407${int(20, 79)}${digits(6)}`]);
const phoneHu = () => pick([`+36 30 ${int(100, 999)} ${int(1000, 9999)}`, `06 20 ${int(100, 999)} ${int(1000, 9999)}`, `06-1-${int(200, 499)}-${int(1000, 9999)}`, `+36 1 ${int(200, 499)} ${int(1000, 9999)}`, `+3670${digits(7)}`]);
const phoneId = () => pick([`+62 812-${int(1000, 9999)}-${int(1000, 9999)}`, `0812 ${int(1000, 9999)} ${int(1000, 9999)}`, `(021) ${int(5000, 5999)} ${int(1000, 9999)}`, `+62 21 ${int(5000, 5999)} ${int(1000, 9999)}`, `08${int(11, 59)}${digits(8)}`, `wa.me/628${int(11, 59)}${digits(8)}`]);
const phoneEn = () => pick([`+44 20 7946 ${int(1000, 9999)}`, `+1 (415) 555-${int(1000, 9999)}`, `(212) 555-${int(1000, 9999)}`, `+1-202-555-${int(1000, 9999)}`, `07700 900${int(100, 999)}`]);
const date = () => pick([`2024-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}`, `${pad(int(1, 28), 2)}.${pad(int(1, 12), 2)}.2024`, `${int(1, 28)}/${int(1, 12)}/2024`, `2024. ${pad(int(1, 12), 2)}. ${pad(int(1, 28), 2)}.`, `${pad(int(1, 28), 2)}/${pad(int(1, 12), 2)}/2024 14:${pad(int(0, 59), 2)}`]);
const amount = () => pick([`${int(1, 99)} ${int(100, 999)} Ft`, `${int(1, 999)},${pad(int(0, 99), 2)} lei`, `Rp ${int(1, 999)}.${int(100, 999)}.000`, `$${int(1, 9)},${int(100, 999)}.${pad(int(0, 99), 2)}`, `€ ${int(10, 999)}.${pad(int(0, 99), 2)}`, `IDR ${int(1, 9)}${digits(8)}`, `${int(1, 9)} ${int(100, 999)} ${int(100, 999)} Ft`]);
const caseNumber = () => `CAS-${pad(int(1, 999_999), 6)}-${alnum(10, 'ABCDEFGHJKMNPQRSTVWXYZ0123456789')}`;
const orderNumber = () => pick([
  `${int(100, 999)}-${digits(7)}-${digits(7)}`, // Amazon
  `#${int(100000, 999999)}`, // Shopify
  `INV/2024${pad(int(1, 12), 2)}${pad(int(1, 28), 2)}/MPL/${digits(10)}`, // Tokopedia
  `2411${pad(int(1, 28), 2)}${alnum(6, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`, // Shopee
  `${int(300_000_000, 499_999_999)}`, // eMAG
  `Order ${digits(16)}`,
  `comanda nr. ${digits(13)}`,
  `rendelésszám: ${digits(10)}`,
  `No. Pesanan: ${digits(16)}`,
]);
const invoiceNumber = () => pick([`SZLA-2024-${pad(int(1, 99999), 6)}`, `FCT 2024 ${digits(7)}`, `INV-2024-${pad(int(1, 9999), 5)}`, `factura seria EMG nr. ${digits(9)}`, `Számla sorszáma: ${digits(10)}`, `Invoice ${digits(16)}`]);
const tracking = () => pick([
  `1Z${alnum(6, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}${digits(10)}`, // UPS
  `9400 1${digits(3)} ${digits(4)} ${digits(4)} ${digits(4)} ${digits(2)}`, // USPS, 22 digits
  `${digits(4)} ${digits(4)} ${digits(4)}`, // FedEx 12
  `JD01460000${digits(10)}`, // DHL eCommerce
  `AWB FAN Courier: ${digits(13)}`,
  `Sameday AWB 1ONB${digits(11)}`,
  `RL${digits(9)}HU`, // Magyar Posta
  `resi JNE ${digits(16)}`,
  `J&T JP${digits(10)}`,
  `tracking number ${digits(18)}`,
]);

const keepers: Array<() => string> = [
  () => `Your order ${orderNumber()} shipped on ${date()}. Tracking: ${tracking()}`,
  () => `Call me on ${phoneRo()} or ${phoneHu()}, thanks`,
  () => `Nomor HP saya ${phoneId()}, total ${amount()}`,
  () => `Re: ${caseNumber()} — refund of ${amount()} for invoice ${invoiceNumber()}`,
  () => `Phone: ${phoneEn()}\nDate of purchase: ${date()}`,
  () => `Comanda ${orderNumber()} din ${date()}, AWB ${tracking()}`,
  () => `Számla: ${invoiceNumber()}, összeg: ${amount()}, telefon: ${phoneHu()}`,
  () => `Pesanan ${orderNumber()} sudah dibayar ${amount()} pada ${date()}`,
];
const KINDS = ['card', 'iban', 'secret', 'nationalId'] as const;
// Each kind's negatives: what agents keep, and near misses of that kind.
const nearMiss: Record<(typeof KINDS)[number], Array<() => string>> = {
  card: [
    () => { const c = card(pick(['4', '51', '6011']), 16); const bad = c.slice(0, 15) + ((Number(c[15]) + 1) % 10); return `card ${group4(bad)} (one digit mistyped)`; },
    () => `gift card code ${alnum(4, 'ABCDEFGHJKLMNPQRSTUVWXYZ')}-${alnum(4, 'ABCDEFGHJKLMNPQRSTUVWXYZ')}-${alnum(4, 'ABCDEFGHJKLMNPQRSTUVWXYZ')}`,
    () => `last four digits of my card: ${digits(4)}`,
    () => `Transaction ID ${digits(12)} on ${date()}`,
  ],
  iban: [
    () => { const v = iban(); const bad = v.slice(0, 2) + pad((Number(v.slice(2, 4)) + 1) % 98 + 2, 2) + v.slice(4); return `IBAN ${bad.match(/.{1,4}/g)!.join(' ')} (check digits wrong)`; },
    () => `cont ${digits(24)} deschis la BT`,
    () => `bankszámlaszám: 11773016-${digits(8)}-${digits(8)}`,
    () => `rekening BCA ${digits(10)} a.n. Budi`,
    () => `SWIFT/BIC: BTRLRO22, ref RO${digits(2)}TEST`,
  ],
  secret: [
    () => `I forgot my password, can you reset it?`,
    () => `the password is wrong again`,
    () => `Am uitat parola, vă rog resetați-o.`,
    () => `Elfelejtettem a jelszavamat, mit tegyek?`,
    () => `Saya lupa kata sandi akun saya.`,
    () => `Publishable key pk_live_${alnum(24)} is in the page source`,
    () => `commit ${alnum(40, '0123456789abcdef')} fixed it`,
    () => `Password reset link: https://example.com/reset?case=${int(1000, 9999)}`,
  ],
  nationalId: [
    () => { const v = cnp(); const bad = v.slice(0, 12) + ((Number(v[12]) + 1) % 10); return `CNP ${bad} (greșit)`; },
    () => { const v = taj(); return `Rendelésszám: ${v}`; },
    () => `Nomor rekening ${digits(13)}`,
    () => { const v = nik(); const bad = '44' + v.slice(2); return `No. referensi ${bad}`; },
    () => `Cod client ${digits(9)}, data ${date()}`,
  ],
};
for (const kind of KINDS) {
  for (let i = 0; i < 60; i++) {
    const makers = [...keepers, ...nearMiss[kind]];
    neg(kind, makers[i % makers.length]!());
  }
}

writeFileSync(process.env.OUT ?? new URL('./corpus.json', import.meta.url), JSON.stringify({ positives, negatives }, null, 1) + '\n');
console.log(`${positives.length} positives, ${negatives.length} negatives`);
