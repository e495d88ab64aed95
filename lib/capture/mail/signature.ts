/**
 * The closing block of a mail: who wrote it and how to reach them. Read only
 * from the latest message's own lines (quotes already cut, see quotes.ts),
 * so a quoted earlier message or the agent's own signature below it never
 * gives the customer's phone, company or job title.
 */
import { isPersonName, normaliseName } from './names';

// A closing line: "Best regards," "Üdvözlettel," "Cu stimă," "Salam," "Terima kasih," and kin, alone on the line.
const CLOSING =
  /^\s*(?:(?:best|kind|warm|many|with)?\s*(?:regards|wishes|thanks)|thank you|thanks(?: again| a lot)?|cheers|sincerely|yours(?: truly| sincerely)?|best|br|üdvözlettel|üdv|tisztelettel|köszönettel|köszönöm|baráti üdvözlettel|udvozlettel|udv|koszonettel|koszonom|barati udvozlettel|cu stimă|cu stima|cu respect|cu drag|mulțumesc|multumesc|toate cele bune|salam(?: hangat)?|hormat saya|hormat kami|terima kasih|salam sejahtera|wassalam|mit freundlichen grüßen|viele grüße|gruß|cordialement|bien à vous|saludos|atentamente|atenciosamente|cordiali saluti|met vriendelijke groet)\s*[,.!]*\s*$/iu;
const DELIMITER = /^\s*(?:--|—+|_{2,}|-{3,})\s*$/;
const DASH_NAME = /^\s*[-–—]\s*(\S.*)$/;
// Mobile and client footers: not part of the person's signature.
const FOOTER =
  /^\s*(?:sent from|sent with|get outlook|trimis de pe|trimis din|küldve|dikirim dari|von meinem|envoyé de|enviado desde|enviado do)\b/iu;
const COMPANY_SUFFIX =
  /\b(?:inc|ltd|llc|llp|gmbh|ag|corp|corporation|co|company|kft|zrt|nyrt|bt|srl|s\.r\.l|sa|s\.a|pt|tbk|cv|bv|nv|plc|pty|oy|ab|as|spa|s\.p\.a|sas|sarl)\.?(?=\s*$|[\s,)])/i;
const AT_COMPANY = /^.{2,40}?\s+(?:@|at)\s+(\p{Lu}[\p{L}\d&.' -]{1,60}?)[\s!.]*$/u;
const JOB_TITLE =
  /(?<!\p{L})(?:manager|director|engineer|developer|designer|ceo|cto|cfo|coo|founder|co-founder|president|owner|head of|specialist|consultant|officer|lead|assistant|analyst|administrator|accountant|coordinator|executive|partner|sales|support|professor|igazgató|vezető|ügyvezető|munkatárs|referens|tanácsadó|menedzser|mérnök|inginer|consilier|director general|administrator|manajer|direktur|kepala|staf|konsultan|pemilik)(?!\p{L})/iu;
const PHONE_LABEL = /^\s*(?:tel|phone|mobile|mobil|cell|telefon|telefonszám|ponsel|hp|wa|whatsapp|m|t|p|📱|📞|☎)\s*[.:]*\s*(\+?[\d][\d ()./-]{5,22}\d)\s*$/iu;
const PHONE_ALONE = /^\s*(\+[\d][\d ()./-]{5,22}\d)\s*$/;

export interface Signature {
  name?: string;
  company?: string;
  jobTitle?: string;
  /** As written: capture.ts normalises it. */
  phone?: string;
}

/** The signature of a message's own lines, or undefined when it closes with none. */
export function readSignature(ownLines: readonly string[]): Signature | undefined {
  const lines = ownLines.map((l) => l.trim()).filter((l) => !FOOTER.test(l));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  // The closing is among the last lines; the last closing wins ("Best regards, John" / "-- " / "John Doe").
  let start = -1;
  let dashName: string | undefined;
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - 14); i--) {
    const line = lines[i] ?? '';
    const dash = DASH_NAME.exec(line);
    if (CLOSING.test(line) || DELIMITER.test(line)) {
      start = i + 1;
      break;
    }
    if (dash && isPersonName(dash[1] ?? '') && i >= lines.length - 3) {
      dashName = dash[1];
      start = i + 1;
      break;
    }
  }
  if (start < 0) return undefined;
  const block = lines.slice(start).filter((l) => l !== '').slice(0, 8);
  const signature: Signature = {};
  if (dashName) signature.name = normaliseName(dashName);
  for (const line of block) {
    if (line.length > 100) continue;
    const phone = PHONE_LABEL.exec(line) ?? PHONE_ALONE.exec(line);
    if (phone) {
      signature.phone ??= phone[1];
      continue;
    }
    if (!signature.name && isPersonName(line.replace(/[,.]$/, ''))) {
      signature.name = normaliseName(line.replace(/[,.]$/, ''));
      continue;
    }
    const atCompany = AT_COMPANY.exec(line);
    if (atCompany && !signature.company) {
      signature.company = atCompany[1]?.trim();
      if (JOB_TITLE.test(line)) signature.jobTitle ??= line.slice(0, line.search(/\s(?:@|at)\s/)).trim();
      continue;
    }
    if (!signature.company && COMPANY_SUFFIX.test(line) && !/@/.test(line) && line.split(/\s+/).length <= 6) {
      signature.company = line;
      continue;
    }
    if (!signature.jobTitle && JOB_TITLE.test(line) && line.split(/\s+/).length <= 6) signature.jobTitle = line;
  }
  return signature.name || signature.company || signature.phone || signature.jobTitle ? signature : undefined;
}
