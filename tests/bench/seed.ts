/**
 * Seeds the extension's database straight through IndexedDB: 50,000 cases and
 * 20,000 customers in seconds, instead of 50,000 createCase transactions.
 *
 * The record shape is taken from real records the app wrote (one case and one
 * customer created through the form first), so the seed follows the schema of
 * the build being measured; only ids, numbers, words and times vary.
 */
import type { Page } from 'puppeteer-core';

export interface SeedCounts {
  cases: number;
  customers: number;
  notes: number;
}

export async function seedDatabase(page: Page, counts: SeedCounts): Promise<void> {
  await page.evaluate(async ({ cases, customers, notes }) => {
    const open = () =>
      new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const idb = await open();
    const readFirst = (store: string) =>
      new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
        const request = idb.transaction(store).objectStore(store).openCursor();
        request.onsuccess = () => resolve(request.result?.value as Record<string, unknown> | undefined);
        request.onerror = () => reject(request.error);
      });
    const templateCase = await readFirst('cases');
    const templateCustomer = await readFirst('customers');
    if (!templateCase || !templateCustomer) throw new Error('seed needs one case created through the panel first');

    const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const ulid = (time: number, n: number) => {
      let head = '';
      for (let t = time, i = 0; i < 10; i++, t = Math.floor(t / 32)) head = CROCKFORD[t % 32] + head;
      let tail = '';
      for (let v = n, i = 0; i < 16; i++, v = Math.floor(v / 32)) tail = CROCKFORD[v % 32] + tail;
      return head + tail;
    };
    const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    // Cut like lib/search/words.ts (tokenize / caseWords / noteWords): letters and
    // digits, folded, at least two characters, so the seeded `*words` and
    // `*noteWords` indexes hold what the app itself would write.
    const tokens = (text: string) => fold(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2).map((w) => w.slice(0, 40));
    const words = (...parts: string[]) => [...new Set(parts.flatMap(tokens))];
    const caseWords = (number: string, title: string, tags: string[], customer: Record<string, unknown>) => {
      const [, sequence = '', suffix = ''] = number.split('-');
      const running = sequence.replace(/^0+/, '');
      const phones = (customer.phones as string[]).flatMap((p) => {
        const digits = p.replace(/\D/g, '');
        return [digits, ...tokens(p), ...(digits.length > 9 ? [digits.slice(-9)] : [])];
      });
      return [
        ...new Set([
          ...[sequence, suffix.toLowerCase()].filter((w) => w.length >= 2),
          running,
          ...words(title, ...tags, String(customer.name), String(customer.company), ...(customer.emails as string[])),
          ...phones,
        ]),
      ];
    };
    // Default SLA targets in minutes (lib/cases/case-settings.ts), for the SLA sort and the badge.
    const SLA: Record<string, [number, number]> = { urgent: [60, 240], high: [240, 1440], normal: [480, 4320], low: [1440, 7200] };
    const FIRST = ['Ana', 'Bence', 'Csilla', 'Dewi', 'Elena', 'Ferenc', 'Gita', 'Hana', 'Ioana', 'János', 'Kadek', 'Luca', 'Mihai', 'Nyoman', 'Oana', 'Putu'];
    const LAST = ['Kovács', 'Popescu', 'Santoso', 'Nagy', 'Ionescu', 'Wijaya', 'Tóth', 'Stan', 'Hidayat', 'Szabó'];
    const TOPICS = ['refund', 'invoice', 'login', 'delivery', 'warranty', 'password', 'upgrade', 'cancellation', 'billing', 'outage', 'shipping', 'discount'];
    const OBJECTS = ['order', 'account', 'subscription', 'parcel', 'router', 'app', 'card', 'contract'];
    const PRIORITY = ['low', 'normal', 'normal', 'high', 'urgent'];
    const base = Date.now() - 400 * 86_400_000;
    const suffix = String(templateCase.number).slice(-4);
    const owner = String(templateCase.owner);

    const putAll = (store: string, rows: unknown[]) =>
      new Promise<void>((resolve, reject) => {
        const tx = idb.transaction(store, 'readwrite');
        const os = tx.objectStore(store);
        for (const row of rows) os.put(row);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });

    const customerRows: Array<Record<string, unknown>> = [];
    for (let i = 0; i < customers; i++) {
      const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]} ${i}`;
      const email = `customer${i}@example${i % 50}.com`;
      const phone = `+36 20 ${String(1_000_000 + i).slice(-7)}`;
      const row: Record<string, unknown> = {
        ...templateCustomer,
        id: ulid(base + i * 1000, i),
        name,
        emails: [email],
        phones: [phone],
        company: `Company ${i % 900}`,
        createdAt: base + i * 1000,
        updatedAt: base + i * 1000,
        version: 1,
      };
      if ('searchKeys' in templateCustomer) row.searchKeys = [...words(name), email, email.split('@')[1]!, phone.replace(/\D/g, '')];
      customerRows.push(row);
    }
    for (let i = 0; i < customerRows.length; i += 5000) await putAll('customers', customerRows.slice(i, i + 5000));

    // Notes are spread over the cases round-robin (note j is on case j % cases),
    // so each case's noteWords is the union of its notes' words.
    const noteBody = (j: number) => `Called back about ${TOPICS[(j * 5) % TOPICS.length]} ${OBJECTS[(j * 3) % OBJECTS.length]}, reference R${j}.`;
    const noteWordsOf = (i: number) => {
      const all = new Set<string>();
      for (let j = i; j < notes; j += cases) for (const w of words(noteBody(j))) all.add(w);
      return [...all];
    };
    const caseIds: string[] = [];
    for (let start = 0; start < cases; start += 5000) {
      const rows: unknown[] = [];
      for (let i = start; i < Math.min(cases, start + 5000); i++) {
        const customer = customerRows[i % customerRows.length]!;
        const at = base + i * 600_000;
        const topic = TOPICS[i % TOPICS.length]!;
        const title = `${topic[0]!.toUpperCase()}${topic.slice(1)} problem with ${OBJECTS[i % OBJECTS.length]} ${i}`;
        const number = `CAS-${String(100_000 + i).padStart(6, '0')}-${suffix}`;
        const id = ulid(at, 1_000_000 + i);
        caseIds.push(id);
        const row: Record<string, unknown> = {
          ...templateCase,
          id,
          number,
          title,
          customerId: customer.id,
          priority: PRIORITY[i % PRIORITY.length],
          state: i % 10 < 7 ? 'active' : i % 10 < 9 ? 'resolved' : 'cancelled',
          owner: i % 3 === 0 ? owner : `Agent ${i % 17}`,
          tags: [topic],
          tagKeys: [topic],
          createdAt: at,
          updatedAt: at,
        };
        if ('words' in templateCase) {
          row.words = caseWords(number, title, [topic], customer);
          row.noteWords = noteWordsOf(i);
          if ('customerLabel' in templateCase) row.customerLabel = customer.name;
          const priority = String(row.priority);
          const sla = { firstResponseBy: at + SLA[priority]![0] * 60_000, resolveBy: at + SLA[priority]![1] * 60_000 };
          row.sla = sla;
          row.slaDueAt = Math.min(sla.firstResponseBy, sla.resolveBy);
          row.resolutions = [];
          row.statusReason = row.state === 'active' ? 'inProgress' : row.state === 'resolved' ? 'problemSolved' : 'cancelled';
          delete row.resolution;
        }
        rows.push(row);
      }
      await putAll('cases', rows);
    }

    if (notes > 0) {
      const templateNote = {
        format: 'text',
        author: owner,
        version: 1,
      };
      for (let start = 0; start < notes; start += 10_000) {
        const rows: unknown[] = [];
        for (let i = start; i < Math.min(notes, start + 10_000); i++) {
          const at = base + i * 150_000;
          const body = noteBody(i);
          rows.push({ ...templateNote, id: ulid(at, 5_000_000 + i), caseId: caseIds[i % caseIds.length], body, createdAt: at, updatedAt: at, words: words(body) });
        }
        await putAll('notes', rows);
      }
    }
    idb.close();
  }, counts);
}
