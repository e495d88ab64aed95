/**
 * Mail header blocks as webmails and mail clients print them in a message or
 * a quoted one: "From: Name <address>", "To:", "Subject:", "Date:", in the
 * four languages of the desks and the ones customers' clients write
 * (en, hu, ro, id; de, fr, es, pt, it, nl for quoted replies).
 */
import { parseAddressList, type MailAddress } from './addresses';

type HeaderKey = 'from' | 'to' | 'cc' | 'subject' | 'date';

// Header names, lower case, without the colon. "De" is both Romanian and French/Spanish/Portuguese "From".
const KEYS: Record<string, HeaderKey> = {
  from: 'from', de: 'from', feladó: 'from', dari: 'from', von: 'from', van: 'from', da: 'from', от: 'from',
  sender: 'from', expéditeur: 'from', expeditor: 'from', pengirim: 'from',
  to: 'to', către: 'to', catre: 'to', címzett: 'to', kepada: 'to', an: 'to', à: 'to', a: 'to',
  para: 'to', aan: 'to', кому: 'to', pentru: 'to',
  cc: 'cc', másolat: 'cc', tembusan: 'cc',
  subject: 'subject', tárgy: 'subject', subiect: 'subject', perihal: 'subject', subjek: 'subject', betreff: 'subject',
  objet: 'subject', asunto: 'subject', assunto: 'subject', oggetto: 'subject', onderwerp: 'subject', тема: 'subject',
  date: 'date', sent: 'date', dátum: 'date', elküldve: 'date', küldve: 'date', data: 'date', dată: 'date',
  trimis: 'date', tanggal: 'date', dikirim: 'date', terkirim: 'date', datum: 'date', gesendet: 'date',
  envoyé: 'date', enviado: 'date', fecha: 'date', inviato: 'date', verzonden: 'date', отправлено: 'date', дата: 'date',
};

// "Key: value" or French "Key : value"; keys are one or two words.
const HEADER_LINE = /^\s*\*?([\p{L}]{1,12})\*?\s?:\s*(.*)$/u;

export function headerKeyOf(line: string): HeaderKey | undefined {
  const match = HEADER_LINE.exec(line);
  return match ? KEYS[(match[1] ?? '').toLocaleLowerCase()] : undefined;
}

export interface HeaderBlock {
  /** Index of the block's first and one past its last line. */
  start: number;
  end: number;
  from?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  subject?: string;
  date?: string;
}

/**
 * The header block that starts at line `start`: at least two header lines
 * (one of them From) within a few lines of each other. A value may run on to
 * the next line (Outlook folds long "From:" lines), which is kept with it.
 */
export function headerBlockAt(lines: readonly string[], start: number): HeaderBlock | undefined {
  if (!headerKeyOf(lines[start] ?? '')) return undefined;
  const values = new Map<HeaderKey, string>();
  let key: HeaderKey | undefined;
  let count = 0;
  let end = start;
  let gap = 0;
  for (let i = start; i < lines.length && i < start + 16; i++) {
    const line = lines[i] ?? '';
    const found = headerKeyOf(line);
    if (found) {
      if (values.has(found)) break;
      key = found;
      values.set(key, HEADER_LINE.exec(line)?.[2]?.trim() ?? '');
      count += 1;
      end = i + 1;
      gap = 0;
    } else if (line.trim() === '') {
      if (count >= 2) break;
      gap += 1;
      if (gap > 1) break;
    } else if (
      key && gap === 0 && i === end && (key === 'from' || key === 'to' || key === 'cc') &&
      /@/.test(line) && !/@/.test(values.get(key) ?? '')
    ) {
      // A folded value: "From: Human Resources" / "<hr@example.com>".
      values.set(key, `${values.get(key)} ${line.trim()}`);
      end = i + 1;
    } else break;
  }
  if (count < 2 || !values.has('from')) return undefined;
  const [from] = parseAddressList(values.get('from') ?? '');
  return {
    start,
    end,
    from,
    to: parseAddressList(values.get('to') ?? ''),
    cc: parseAddressList(values.get('cc') ?? ''),
    subject: values.get('subject') || undefined,
    date: values.get('date') || undefined,
  };
}

/** Any header block starting within `lines[from, to)`, the first one. */
export function findHeaderBlock(lines: readonly string[], from = 0, to = lines.length): HeaderBlock | undefined {
  for (let i = from; i < Math.min(to, lines.length); i++) {
    const block = headerBlockAt(lines, i);
    if (block) return block;
  }
  return undefined;
}
