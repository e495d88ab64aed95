/**
 * Where a mail's own text ends and the quoted earlier messages begin: the
 * reply header ("On … wrote:", "-----Original Message-----", "Feladó: …"
 * blocks and their kin in the desks' and customers' languages), a run of
 * "> " lines, or a forwarded message. What lies below is someone else's
 * words: never the customer's details, never the description.
 */
import { findHeaderBlock, headerBlockAt, type HeaderBlock } from './headers';

// The verbs a reply intro ends with, in the desks' and customers' languages.
const WROTE = String.raw`(?:wrote|a écrit|schrieb|escreveu|escribió|ha scritto|schreef|a scris|menulis|skrev|napisał|napsal)`;
// "On Mon, Apr 2, 2012 at 6:26 PM, Megan One <x@gmail.com> wrote:" and its kin; may wrap over three lines.
const REPLY_INTRO = new RegExp(
  [
    String.raw`^(?:on|le|am|em|el|il|op|pe|pada|den|på|w dniu|dne)\s.{0,300}?\b${WROTE}\b.{0,40}:?\s*$`,
    // Hungarian: Gmail's "Kovács Ana <ana@x.hu> ezt írta (időpont: 2024. jan. 5., P, 10:00):", Thunderbird's
    // "2024. 01. 05. 14:32 keltezéssel, Kovács Ana a következőt írta:". Not \b: "í" is no ASCII word character.
    String.raw`^.{0,300}(?<!\p{L})(?:ezt írta|írta)(?!\p{L}).{0,80}:\s*$`,
    // Russian clients: "… пользователь … написал:", mail.ru "… от Name <a@b>:"
    String.raw`^.{0,300}(?:написал|пишет|писал)\b.{0,40}:\s*$`,
    // A dated line that ends with an address and a colon: Yandex, Mail.ru, many mobile clients.
    String.raw`^(?=.*\d).{0,200}<?\s*[^\s<>]+@[^\s<>]+\s*>?\s*\)?\s*:\s*$`,
  ].join('|'),
  'iu',
);
// Any intro that ends with the verb after an address: Romanian Gmail opens with the date
// ("mar., 7 mai 2024, 07:09 Ana <a@b> a scris:"), mobile clients quote a thread under "ana@example.ro wrote:".
// Three cheap tests instead of one pattern: a pattern scanning for the address would backtrack on every line.
const ENDS_WITH_WROTE = new RegExp(String.raw`\s${WROTE}\s*:\s*$`, 'iu');
const HAS_ADDRESS = /[^\s<>[\]]+@[^\s<>[\]]+\.[a-z]{2,}/i;

function isAddressIntro(text: string): boolean {
  return text.includes('@') && ENDS_WITH_WROTE.test(text) && HAS_ADDRESS.test(text);
}
// How a wrapped intro opens: "On …", "Le …", "Pe …", "Pada …", or a date ("02.04.2012 14:20 …").
const INTRO_START = /^\s*(?:(?:on|le|am|em|el|il|op|pe|pada|den|på|w dniu|dne)\s|\d{1,4}[./-])/iu;
// "-----Original Message-----", "---- On … wrote ----", "________________" before a header block.
const SEPARATOR =
  /^\s*(?:-{2,}|_{2,}|={2,})\s*(?:original message|message d'origine|ursprüngliche nachricht|originalnachricht|mensaje original|mensagem original|messaggio originale|eredeti üzenet|eredeti levél|mesaj original|mesajul original|pesan asli|oorspronkelijk bericht|исходное сообщение|on\b.{0,300}\bwrote\b.{0,40})\s*(?:-{2,}|_{2,}|={2,})?\s*$/iu;
const RULE = /^\s*(?:_{8,}|-{8,})\s*$/;
// "---------- Forwarded message ---------" and its kin; Apple Mail's "Begin forwarded message:".
const FORWARD =
  /^\s*(?:-{2,}\s*)?(?:forwarded message|továbbított üzenet|mesaj redirecționat|mesaj redirectionat|mesaj transmis|pesan terusan|pesan yang diteruskan|weitergeleitete nachricht|message transféré|mensaje reenviado|mensagem encaminhada|messaggio inoltrato|doorgestuurd bericht|пересылаемое сообщение|begin forwarded message:|kezdete a továbbított üzenetnek:)\s*(?:-{2,})?\s*$/iu;

// "Sent from my iPhone" and its kin: only a mail client writes it.
const CLIENT_FOOTER =
  /^\s*(?:sent from my (?:[\w-]+ ){0,3}(?:iphone|ipad|android|mobile|phone|samsung|blackberry|galaxy|device|tablet)\b|sent from (?:outlook|mail) for|get outlook for|trimis de pe (?:iphone|ipad|android)|küldve (?:az? )?(?:iphone|ipad|android)|(?:az? )?(?:iphone|ipad|android)[\w‑-]*(?:ról|ről) küldve|dikirim dari (?:iphone|ipad|android|perangkat)|von meinem (?:iphone|ipad)|envoyé de mon (?:iphone|ipad))/iu;

export interface MailText {
  /** The message's own lines, quotes cut. */
  own: string[];
  /** The header block at the top of the text (a raw or printed message), if any. */
  header?: HeaderBlock;
  /** The first forwarded message's header: its sender is the one the forward is about. */
  forwarded?: HeaderBlock;
  /** The text held quoted earlier messages (it reads as a mail). */
  hasQuote: boolean;
  /** The text ends with a mail client's footer ("Sent from my iPhone"). */
  hasClientFooter: boolean;
}

function isReplyIntro(lines: readonly string[], i: number): boolean {
  const line = lines[i] ?? '';
  if (line.length > 400) return false;
  if (SEPARATOR.test(line) || isAddressIntro(line)) return true;
  // The intro wraps: try the line alone, then, when it opens like an intro, with the next one or two joined.
  const spans = INTRO_START.test(line) ? 3 : 1;
  for (let span = 1; span <= spans && i + span <= lines.length; span++) {
    const joined = lines.slice(i, i + span).map((l) => l.trim()).join(' ');
    if ((REPLY_INTRO.test(joined) || (span > 1 && isAddressIntro(joined))) && /\d/.test(joined)) return true;
  }
  return false;
}

/** Splits a mail's text into its own part and what it quotes or forwards. */
export function splitMail(text: string): MailText {
  const lines = text.split('\n');
  // A raw or printed message opens with its own header block.
  const firstLine = lines.findIndex((l) => l.trim() !== '');
  const header = firstLine >= 0 ? headerBlockAt(lines, firstLine) : undefined;
  const bodyStart = header ? header.end : 0;
  let cut = lines.length;
  let forwarded: HeaderBlock | undefined;
  let hasQuote = false;
  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (FORWARD.test(line)) {
      forwarded = findHeaderBlock(lines, i + 1, i + 4);
      cut = i;
      hasQuote = true;
      break;
    }
    if (isReplyIntro(lines, i) || (RULE.test(line) && findHeaderBlock(lines, i + 1, i + 3))) {
      cut = i;
      hasQuote = true;
      break;
    }
    // An Outlook reply: the quoted message's header block right after the reply's text.
    if (i > bodyStart && headerBlockAt(lines, i)) {
      cut = i;
      hasQuote = true;
      break;
    }
    if (/^\s*>/.test(line)) {
      cut = i;
      hasQuote = true;
      break;
    }
  }
  let own = lines.slice(bodyStart, cut);
  if (own.every((l) => l.trim() === '') && cut < lines.length) {
    // Bottom posting: the reply is under the quote; keep the unquoted lines after it.
    own = lines.slice(cut).filter((l, i) => !/^\s*>/.test(l) && !(i === 0));
  }
  const hasClientFooter = own.some((l) => CLIENT_FOOTER.test(l));
  return { own, header, forwarded, hasQuote, hasClientFooter };
}
