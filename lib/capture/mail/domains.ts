/**
 * A company guessed from the customer's mail domain: weak (the panel says
 * "guessed from the domain") and never from a public mail provider, an ISP
 * or a reserved example domain, where the domain says nothing about who
 * the customer works for.
 */
// Public mail providers, global and of the desks' countries (hu, ro, id), and ISPs that hand out addresses.
const PUBLIC = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'rocketmail.com', 'outlook.com', 'hotmail.com',
  'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'gmx.com', 'gmx.net', 'gmx.de', 'web.de',
  'mail.com', 'proton.me', 'protonmail.com', 'pm.me', 'zoho.com', 'zohomail.com', 'yandex.com', 'yandex.ru',
  'mail.ru', 'fastmail.com', 'tutanota.com', 'hey.com', 'qq.com', '163.com', 'comcast.net', 'verizon.net',
  'att.net', 'sbcglobal.net', 'nyc.rr.com', 'btinternet.com', 'orange.fr', 'free.fr', 'laposte.net', 't-online.de',
  'freemail.hu', 'citromail.hu', 'indamail.hu', 't-online.hu', 'vipmail.hu', 'upcmail.hu', 'chello.hu', 'invitel.hu',
  'yahoo.ro', 'yahoo.co.id', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.de', 'hotmail.co.uk', 'hotmail.fr', 'outlook.fr',
  'rdslink.ro', 'clicknet.ro', 'mail.md', 'plus.net', 'telkom.net', 'rocketmail.co.id',
]);
// Public providers under many country domains: yahoo.*, hotmail.*, outlook.*, live.*, gmx.*.
const PUBLIC_FAMILY = /^(?:yahoo|hotmail|outlook|live|gmx|aol|yandex|mail)\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})$/;
// RFC 2606 / 6761 names, and test domains: never a company.
const RESERVED = /(?:^|\.)(?:example(?:\.(?:com|org|net|edu))?|test|invalid|localhost|local)$/;
// Second-level labels under which the registrable name is one label further left (example.co.uk, x.com.ro).
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'ac', 'gov', 'edu', 'or', 'go', 'web', 'my', 'biz', 'sch']);

export function isPublicMailDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  return PUBLIC.has(d) || PUBLIC_FAMILY.test(d) || RESERVED.test(d);
}

/** "adam@tictail.com" → "Tictail"; undefined for public, reserved and mail-service domains. */
export function companyFromDomain(email: string): string | undefined {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (!domain || isPublicMailDomain(domain)) return undefined;
  const labels = domain.split('.');
  if (labels.length < 2) return undefined;
  const secondLevel = labels.length >= 3 && SECOND_LEVEL.has(labels[labels.length - 2] ?? '');
  const name = labels[labels.length - (secondLevel ? 3 : 2)] ?? '';
  // Mail hosts of a company ("mail.", "smtp.") are not its name; very short labels read as initials.
  if (name.length < 3 || /^(?:mail|email|smtp|mx|post|webmail)$/.test(name) || /^\d+$/.test(name)) return undefined;
  return name.charAt(0).toUpperCase() + name.slice(1);
}
