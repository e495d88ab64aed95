/**
 * A local edit of a case's title, written as the case repository writes one
 * (the record and its outbox entry in one transaction), straight into the
 * extension's IndexedDB from one of its pages: what the sync tests need to
 * queue an edit without going through the panel's form.
 */
import type { Page } from 'puppeteer-core';

export async function editTitleLocally(page: Page, caseId: string, title: string): Promise<void> {
  await page.evaluate(
    (id, newTitle) =>
      new Promise<void>((resolve, reject) => {
        const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
        let time = '';
        for (let t = Date.now(), i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
        let tail = '';
        for (let i = 0; i < 16; i++) tail += CROCKFORD[Math.floor(Math.random() * 32)];
        const entryId = time + tail;
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const idb = request.result;
          const tx = idb.transaction(['cases', 'outbox'], 'readwrite');
          const get = tx.objectStore('cases').get(id);
          get.onsuccess = () => {
            const record = { ...get.result, title: newTitle, updatedAt: Date.now(), version: (get.result.version ?? 1) + 1 };
            tx.objectStore('cases').put(record);
            tx.objectStore('outbox').add({
              id: entryId,
              entity: 'case',
              entityId: id,
              type: 'case.updated',
              idempotencyKey: `case:${id}:${entryId}`,
              occurredAt: Date.now(),
              data: record,
              attempts: 0,
              nextAttemptAt: Date.now(),
            });
          };
          tx.oncomplete = () => {
            idb.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    caseId,
    title,
  );
}
