/**
 * The keys the customer suggestion box searches by prefix (`*searchKeys`):
 * so "ana", "kovacs", "ana.kovacs@", "northwind.example" and "3620" all find
 * Ana Kovács <ana.kovacs@northwind.example>, +36 20 …, with one index look-up
 * instead of a scan of every customer per keystroke.
 */
import { foldText, phoneDigits } from '../search/text';

export function customerSearchKeys(customer: {
  name: string;
  emails: readonly string[];
  phones: readonly string[];
  company: string;
}): string[] {
  const keys = new Set<string>();
  const add = (key: string) => {
    if (key.length > 0) keys.add(key.slice(0, 100));
  };
  const name = foldText(customer.name);
  add(name);
  name.split(/[\s,.'-]+/).forEach(add);
  const company = foldText(customer.company);
  add(company);
  company.split(/\s+/).forEach(add);
  for (const email of customer.emails) {
    const lower = email.toLowerCase();
    add(lower);
    const domain = lower.split('@')[1];
    if (domain) add(domain);
  }
  for (const phone of customer.phones) {
    const digits = phoneDigits(phone);
    add(digits);
    // Agents type national numbers too: 06 20… or 20… for +36 20…
    if (digits.length > 8) add(digits.slice(-9));
  }
  return [...keys];
}

/** The key to look up for what the agent typed: phone-like text becomes its digits. */
export function searchKeyOf(query: string): string {
  const trimmed = query.trim();
  if (/^[+\d\s().-]+$/.test(trimmed) && phoneDigits(trimmed).length >= 3) return phoneDigits(trimmed);
  return foldText(trimmed);
}
