/**
 * What a Dynamics 365 drain reads from storage for the changes it sends, and
 * when: the customers of a page's cases are read in one read as the page is
 * read, before its first request, not one read per wave of creations waiting
 * in front of each `$batch`; and the pass's first page holds two requests'
 * worth of changes, not the pool's (four `$batch` requests of 50), so the
 * first request goes out after a short read.
 */
import { describe, expect, it, vi } from 'vitest';
import { drainOutbox } from '../../../lib/sync/engine';
import { watchFirstRequest } from './first-request-support';
import { freshDb } from '../cases/helpers';
import { createCases, dataverseSimulators, signedIn } from './d365-support';

const simulator = dataverseSimulators();

describe('Dynamics 365 drain reads ahead', () => {
  it("reads the customers of a page's cases in one read before its first request, and binds each incident to its customer's contact", async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = await signedIn(sim, db);
    await createCases(db, 6);
    const log: string[] = [];
    const read = db.customers.bulkGet.bind(db.customers);
    const customersRead = vi.spyOn(db.customers, 'bulkGet').mockImplementation(((keys: string[]) => {
      log.push(`customers ${keys.length}`);
      return read(keys);
    }) as typeof db.customers.bulkGet);
    const watched: typeof fetch = (input, init) => {
      log.push('request');
      return fetch(input, init);
    };

    const result = await drainOutbox({ db, settings, fetch: watched, maxConcurrent: 4, timeoutMs: 5000 });

    expect(result).toMatchObject({ sent: 12, failed: 0, retried: 0 });
    expect(customersRead).toHaveBeenCalledTimes(1);
    expect(log[0]).toBe('customers 6');
    const contacts = new Map(sim.rows('contacts').map((contact) => [contact.emailaddress1, contact.contactid]));
    expect(contacts.size).toBe(6);
    const incidents = sim.rows('incidents');
    expect(incidents).toHaveLength(6);
    for (const incident of incidents) {
      const i = Number(String(incident.title).replace('Case ', ''));
      expect(incident._customerid_contact_value).toBe(contacts.get(`customer${i}@example.org`));
    }
    db.close();
  });

  it("sends its first request after reading two $batch requests' worth of the outbox, not the whole pool's", { timeout: 30_000 }, async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = await signedIn(sim, db);
    // 150 cases for new customers: 300 entries, more than the pool takes at once (4 batches of 50 changes).
    await createCases(db, 150);
    const first = watchFirstRequest(db);

    const result = await drainOutbox({ db, settings, fetch: first.fetch, maxConcurrent: 4, timeoutMs: 5000 });

    expect(result).toMatchObject({ sent: 300, failed: 0, retried: 0 });
    // Two requests of 50 changes (BATCH_MAX) each.
    expect(first.readAtFirstRequest()).toBeGreaterThan(0);
    expect(first.readAtFirstRequest()).toBeLessThanOrEqual(100);
    expect(sim.rows('incidents')).toHaveLength(150);
    db.close();
  });
});
