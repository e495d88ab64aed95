/**
 * Dynamics 365 adapter: each outbox entry becomes a Dataverse Web API call
 * (the mapping: lib/sync/dynamics365/mapping.ts and docs/dynamics365.md).
 *
 * Exactly once: every row Sidecase makes gets its id here (guid.ts), sent in
 * the create; a create retried after a lost answer is refused as a duplicate
 * key, and that refusal means "already there" (its ETag is read back). A
 * resolution has an id of its own too: a CloseIncident whose answer was lost
 * is found by it. Updates send `If-Match` with the stored `@odata.etag` (or
 * `*`: PATCH would otherwise create a missing row); a 412 is a conflict.
 * The writes of many records' changes waiting at the same time go in one
 * `$batch` (dynamics365/batch.ts), each answered on its own, so these rules
 * hold per write as they do for a request of its own.
 *
 * Reads the local database (never writes it): the tokens (lib/sync/oauth),
 * the customer of a case, whose contact the incident names, and the cases
 * marked deleted in Dynamics 365 — the last two once per drain (an adapter
 * lives for one drain), not per change, and the customers of the cases that
 * start together in one read.
 */
import { db as defaultDb, type SidecaseDb } from '../../db/db';
import { getMany } from '../../db/get-many';
import { Case, Customer, type OutboxEntry } from '../../schema';
import { jsonBody } from '../http';
import type { Dynamics365Settings } from '../settings';
import { BATCH_MAX } from '../dynamics365/batch';
import { createDataverseClient, type DataverseClient, type DataverseIo } from '../dynamics365/client';
import { guidOf, guidOfName } from '../dynamics365/guid';
import {
  accountOf,
  annotationOfAttachment,
  annotationOfNote,
  base64Of,
  caseFromIncident,
  closeIncidentOf,
  contactOf,
  incidentOf,
  INCIDENT_STATES,
  isCompanyOnly,
  versionOfEtag,
  type CustomerRef,
  type IncidentRow,
} from '../dynamics365/mapping';
import { pullIncidentChanges } from '../dynamics365/pull';
import { DELETED_IN_D365, deletedIncidents } from '../dynamics365/deleted';
import { createRows, etagOf, odataString, type Refusal } from '../dynamics365/rows';
import type { Adapter, Outcome } from './types';


/** Used when the organisation's own limit cannot be read: Dataverse's default (5 MB). */
export const DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export function createDynamics365Adapter(settings: Dynamics365Settings, io: DataverseIo, db: SidecaseDb = defaultDb): Adapter {
  const client: DataverseClient = createDataverseClient(settings, io, db);
  /** Lookups shared by the entries of one drain: a new customer's contact is found or made once. */
  const customers = new Map<string, Promise<CustomerRef | Refusal>>();
  const accounts = new Map<string, Promise<string | Refusal>>();
  const named = new Map<string, Promise<string | undefined>>();
  /** Incidents being created in this drain: a note of the case waits for its case instead of failing. */
  const creating = new Map<string, Promise<Outcome>>();
  /**
   * The contact or account of each customer a case names, read from the database and found or
   * made once per drain (an adapter lives for one drain): not a read per change. A customer not
   * stored is remembered as none; a refusal is not remembered (the next change tries again).
   */
  const customerRefs = new Map<string, Promise<CustomerRef | undefined | Refusal>>();
  /** Cases marked "Deleted in Dynamics 365": read once per drain (deleted.ts), kept current by this adapter's own findings. */
  let deleted: Promise<Set<string>> | undefined;
  let maxUpload: Promise<number> | undefined;

  const { refusal, findId, createRow, updateRow, deleteRow, ok } = createRows(client, io.now);

  function ensureAccount(name: string): Promise<string | Refusal> {
    const key = name.trim().toLocaleLowerCase();
    let found = accounts.get(key);
    if (!found) {
      found = (async () => {
        const existing = await findId('accounts', 'accountid', `name eq ${odataString(name.trim())}`);
        if ('kind' in existing) return existing;
        if (existing.id) return existing.id;
        const id = await guidOfName(`sidecase account ${key}`);
        const created = await createRow('accounts', id, accountOf(name.trim(), id));
        return created.kind === 'ok' ? id : created;
      })();
      accounts.set(key, found);
      void found.then((value) => typeof value !== 'string' && accounts.delete(key));
    }
    return found;
  }

  /** The customer's row: a contact found by email, else by phone, else created (with its company's account). */
  function ensureCustomer(customer: Customer): Promise<CustomerRef | Refusal> {
    let found = customers.get(customer.id);
    if (!found) {
      found = (async (): Promise<CustomerRef | Refusal> => {
        if (isCompanyOnly(customer)) {
          const account = await ensureAccount(customer.company || customer.name);
          return typeof account === 'string' ? { set: 'accounts', id: account } : account;
        }
        for (const [column, value] of [
          ['emailaddress1', customer.emails[0]],
          ['telephone1', customer.phones[0]],
        ] as const) {
          if (!value) continue;
          const existing = await findId('contacts', 'contactid', `${column} eq ${odataString(value)}`);
          if ('kind' in existing) return existing;
          if (existing.id) return { set: 'contacts', id: existing.id };
        }
        let accountId: string | undefined;
        if (customer.company.trim()) {
          const account = await ensureAccount(customer.company);
          if (typeof account !== 'string') return account;
          accountId = account;
        }
        const id = guidOf(customer.id);
        const created = await createRow('contacts', id, contactOf(customer, { accountId, create: true }));
        return created.kind === 'ok' ? { set: 'contacts', id } : created;
      })();
      customers.set(customer.id, found);
      void found.then((value) => 'kind' in value && customers.delete(customer.id));
    }
    return found;
  }

  /** A subject or product row whose name is exactly the text, when there is one. */
  function findNamed(set: 'subjects' | 'products', text: string): Promise<string | undefined> {
    const key = `${set} ${text}`;
    let found = named.get(key);
    if (!found) {
      const [idColumn, nameColumn] = set === 'subjects' ? ['subjectid', 'title'] : ['productid', 'name'];
      found = findId(set, idColumn, `${nameColumn} eq ${odataString(text)}`).then((row) => ('kind' in row ? undefined : row.id));
      named.set(key, found);
    }
    return found;
  }

  function maxUploadBytes(): Promise<number> {
    maxUpload ??= client.getJson('/organizations?$select=maxuploadfilesize').then(({ json }) => {
      const value = (json as { value?: Array<{ maxuploadfilesize?: unknown }> } | undefined)?.value?.[0]?.maxuploadfilesize;
      return typeof value === 'number' && value > 0 ? value : DEFAULT_MAX_UPLOAD_BYTES;
    });
    return maxUpload;
  }

  /**
   * The stored customer of each case this drain sends, read once. The pump hands the adapter each
   * page of entries it is about to send (`prepare`), and the customers of the page's cases are read
   * then, in one transaction, while the first requests are being made: a case's creation waiting
   * for a read of its customer was a storage round trip before each wave of creations (a `$batch`
   * of them went out only after it). Customers asked for without a page (a change sent alone) are
   * read together with those asked for at about the same time.
   */
  const storedCustomers = new Map<string, Promise<Customer | undefined>>();
  let toRead: Array<{ id: string; resolve: (customer: Customer | undefined) => void; reject: (error: unknown) => void }> = [];
  function readCustomers(ids: string[]): void {
    const asked = ids.map((id) => {
      let resolve!: (customer: Customer | undefined) => void;
      let reject!: (error: unknown) => void;
      const read = new Promise<Customer | undefined>((yes, no) => ((resolve = yes), (reject = no)));
      storedCustomers.set(id, read);
      // A failed read is not kept: the next change that needs this customer reads it again.
      read.catch(() => storedCustomers.get(id) === read && storedCustomers.delete(id));
      return { id, resolve, reject };
    });
    getMany(db.customers, ids).then(
      (rows) => asked.forEach((one, i) => one.resolve(rows[i])),
      (error: unknown) => asked.forEach((one) => one.reject(error)),
    );
  }
  function readCustomer(id: string): Promise<Customer | undefined> {
    const kept = storedCustomers.get(id);
    if (kept) return kept;
    return new Promise((resolve, reject) => {
      if (toRead.length === 0) {
        setTimeout(() => {
          const asked = toRead;
          toRead = [];
          const ids = [...new Set(asked.map((one) => one.id))].filter((one) => !storedCustomers.has(one));
          if (ids.length) readCustomers(ids);
          for (const one of asked) storedCustomers.get(one.id)!.then(one.resolve, one.reject);
        }, 0);
      }
      toRead.push({ id, resolve, reject });
    });
  }

  /**
   * What the changes of a page the pump is about to send will wait for, asked for now: the token,
   * the customers of its cases (in one read) and, when a change there is no creation, the cases
   * deleted in Dynamics 365. Asked for before the pump reads the page's sync rows and the next
   * page, so these reads are not queued behind those.
   */
  function prepare(entries: readonly OutboxEntry[]): void {
    client.prepare();
    if (entries.some((entry) => entry.entity !== 'customer' && entry.type !== 'case.created')) {
      deleted ??= deletedIncidents(db);
      // Awaited by the first change that asks; a failed read fails that change, as before.
      deleted.catch(() => undefined);
    }
    const ids = new Set<string>();
    for (const entry of entries) {
      const customerId = entry.entity === 'case' ? entry.data.customerId : undefined;
      if (typeof customerId === 'string' && !storedCustomers.has(customerId) && !customerRefs.has(customerId)) ids.add(customerId);
    }
    if (ids.size) readCustomers([...ids]);
  }

  function customerRefOf(customerId: string): Promise<CustomerRef | undefined | Refusal> {
    let found = customerRefs.get(customerId);
    if (!found) {
      found = readCustomer(customerId).then((customer) => (customer ? ensureCustomer(customer) : undefined));
      customerRefs.set(customerId, found);
      // A refusal is not remembered, nor the customer as read for it: the next change reads and tries again.
      const forget = () => {
        customerRefs.delete(customerId);
        storedCustomers.delete(customerId);
      };
      void found.then((value) => value && 'kind' in value && forget(), forget);
    }
    return found;
  }

  async function isDeleted(caseId: string): Promise<boolean> {
    deleted ??= deletedIncidents(db);
    return (await deleted).has(caseId);
  }

  async function createIncident(record: Case): Promise<Outcome> {
    const customerRef = await customerRefOf(record.customerId);
    if (customerRef && 'kind' in customerRef) return customerRef;
    const [subjectId, productId] = await Promise.all([
      record.subject ? findNamed('subjects', record.subject) : undefined,
      record.product ? findNamed('products', record.product) : undefined,
    ]);
    const id = guidOf(record.id);
    const body = incidentOf(record, { customer: customerRef, subjectId, productId, originCodes: settings.originCodes }, { create: true });
    return createRow('incidents', id, body);
  }

  /** Waits for the case's incident when this drain is creating it (a note must not race its case). */
  async function caseReady(caseId: string | undefined): Promise<void> {
    const pending = caseId ? creating.get(caseId) : undefined;
    if (pending) await pending.catch(() => undefined);
  }

  /** An annotation refused because its incident does not exist (yet): the case is not synced; try again later. */
  function waitForCase(outcome: Outcome): Outcome {
    return outcome.kind === 'fatal' && outcome.error === 'sync.d365.error.doesNotExist'
      ? { kind: 'retry', status: outcome.status, error: 'sync.d365.error.caseNotSynced' }
      : outcome;
  }

  async function resolveIncident(record: Case, entry: OutboxEntry, etag: string | undefined): Promise<Outcome> {
    const incident = guidOf(record.id);
    // The resolution's id is fixed by the change: the same resolve, sent again, is found by it.
    const resolutionId = await guidOfName(`sidecase resolution ${entry.id}`);
    const sent = await client.request('POST', '/CloseIncident', { body: closeIncidentOf(record, resolutionId) });
    if (!sent.ok) return sent.outcome;
    const closed = sent.result.kind === 'response' && sent.result.status >= 200 && sent.result.status < 300;
    if (!closed) {
      const refused = refusal(sent.result);
      if (refused.kind === 'retry') return refused;
      const earlier = await client.request('GET', `/incidentresolutions(${resolutionId})?$select=activityid`);
      if (!(earlier.ok && earlier.result.kind === 'response' && earlier.result.status === 200)) return refused;
    }
    void etag;
    // CloseIncident answers 204 without the incident's new ETag: read it, so the next update is not a false conflict.
    const read = await client.request('GET', `/incidents(${incident})?$select=incidentid`);
    if (read.ok && read.result.kind === 'response' && read.result.status === 200) return ok(read.result, incident);
    return { kind: 'ok', status: 204, remoteId: incident };
  }

  /** The `systemusers` row with that address, if any. */
  async function ownerOf(email: string): Promise<{ id?: string } | Refusal> {
    if (!email.includes('@')) return {};
    return findId('systemusers', 'systemuserid', `internalemailaddress eq ${odataString(email)}`);
  }

  /** The incident was deleted in Dynamics 365 (deleted.ts): this change is held, not sent. */
  const deletedThere: Outcome = { kind: 'fatal', error: DELETED_IN_D365, scope: 'record' };

  async function deliverCase(entry: OutboxEntry, etag: string | undefined): Promise<Outcome> {
    // Read from storage: parsed with the schema, as everything read from storage is.
    const parsed = Case.safeParse(entry.data);
    if (!parsed.success) return { kind: 'fatal', error: 'sync.d365.error.invalidRecord', scope: 'record' };
    const record = parsed.data;
    if (entry.type !== 'case.created' && (await isDeleted(record.id))) return deletedThere;
    const outcome = await deliverCaseChange(entry, record, etag);
    if (entry.type === 'case.created') {
      // Created again ("Re-create in Dynamics 365"): its notes and files go to the new incident.
      if (outcome.kind === 'ok') (await deleted)?.delete(record.id);
      return outcome;
    }
    // An update of an incident that no longer exists: deleted in Dynamics 365 (seen here when change tracking is off).
    if (outcome.kind !== 'fatal' || outcome.error !== 'sync.d365.error.doesNotExist') return outcome;
    // The committer marks the case with this outcome; its notes and files later in this drain are held too.
    (await deleted)?.add(record.id);
    return deletedThere;
  }

  async function deliverCaseChange(entry: OutboxEntry, record: Case, etag: string | undefined): Promise<Outcome> {
    const id = guidOf(record.id);
    switch (entry.type) {
      case 'case.created': {
        const creation = createIncident(record);
        creating.set(record.id, creation);
        return creation;
      }
      case 'case.resolved':
        return resolveIncident(record, entry, etag);
      case 'case.cancelled':
        return updateRow('incidents', id, { ...INCIDENT_STATES.cancelled }, etag);
      case 'case.merged':
        return updateRow('incidents', id, { ...INCIDENT_STATES.merged }, etag);
      case 'case.reopened':
        return updateRow('incidents', id, { ...INCIDENT_STATES.active }, etag);
      case 'case.reassigned': {
        const owner = await ownerOf(record.owner);
        if ('kind' in owner) return owner;
        // No Dynamics 365 user with that address: nothing to change there.
        if (!owner.id) return { kind: 'ok', status: 200, etag, remoteId: id };
        return updateRow('incidents', id, { 'ownerid@odata.bind': `/systemusers(${owner.id})` }, etag);
      }
      default: {
        const ref = await customerRefOf(record.customerId);
        if (ref && 'kind' in ref) return ref;
        const [subjectId, productId] = await Promise.all([
          record.subject ? findNamed('subjects', record.subject) : undefined,
          record.product ? findNamed('products', record.product) : undefined,
        ]);
        const body = incidentOf(record, { customer: ref, subjectId, productId, originCodes: settings.originCodes }, { create: false });
        // A closed incident takes no column changes in Dataverse; its state changes go through the lifecycle entries.
        if (record.state !== 'active') return { kind: 'ok', status: 200, etag, remoteId: id };
        return updateRow('incidents', id, body, etag);
      }
    }
  }

  async function deliver(entry: OutboxEntry, ctx: { etag?: string; blob?: Blob }): Promise<Outcome> {
    const { etag } = ctx;
    switch (entry.entity) {
      case 'case':
        return deliverCase(entry, etag);
      case 'customer': {
        const parsed = Customer.safeParse(entry.data);
        if (!parsed.success) return { kind: 'fatal', error: 'sync.d365.error.invalidRecord', scope: 'record' };
        const ref = await ensureCustomer(parsed.data);
        if ('kind' in ref) return ref;
        if (entry.type === 'customer.created' || ref.set === 'accounts') return { kind: 'ok', status: 200, remoteId: ref.id };
        let accountId: string | undefined;
        if (parsed.data.company.trim()) {
          const account = await ensureAccount(parsed.data.company);
          if (typeof account !== 'string') return account;
          accountId = account;
        }
        return updateRow('contacts', ref.id, contactOf(parsed.data, { accountId, create: false }), etag);
      }
      case 'note': {
        const caseId = typeof entry.data.caseId === 'string' ? entry.data.caseId : undefined;
        const id = guidOf(entry.entityId);
        if (entry.type === 'note.deleted') return deleteRow('annotations', id);
        // A note in the inbox belongs to no case yet: nothing to send until it is filed.
        if (!caseId) return { kind: 'ok', status: 200 };
        const note = { id: entry.entityId, caseId, body: typeof entry.data.body === 'string' ? entry.data.body : '' };
        if (await isDeleted(caseId)) return deletedThere;
        if (entry.type === 'note.added') {
          await caseReady(caseId);
          return waitForCase(await createRow('annotations', id, annotationOfNote(note, { create: true })));
        }
        const updated = await updateRow('annotations', id, annotationOfNote(note, { create: false }), etag);
        // Filed from the inbox after it was first sent with no case: its annotation is made now.
        if (updated.kind === 'fatal' && updated.error === 'sync.d365.error.doesNotExist') {
          return waitForCase(await createRow('annotations', id, annotationOfNote(note, { create: true })));
        }
        return updated;
      }
      case 'attachment': {
        const id = guidOf(entry.entityId);
        if (entry.type === 'attachment.deleted') return deleteRow('annotations', id);
        // Moved to another case by a merge: an annotation keeps its record in Dataverse; it stays where it was.
        if (entry.type !== 'attachment.added') return { kind: 'ok', status: 200, etag };
        const blob = ctx.blob ?? (entry.data.blob instanceof Blob ? entry.data.blob : undefined);
        if (!blob) return { kind: 'fatal', error: 'sync.error.attachmentMissing', scope: 'record' };
        if (blob.size > (await maxUploadBytes())) return { kind: 'fatal', error: 'sync.d365.error.fileTooLarge', scope: 'record' };
        const meta = {
          id: entry.entityId,
          caseId: typeof entry.data.caseId === 'string' ? entry.data.caseId : undefined,
          name: typeof entry.data.name === 'string' ? entry.data.name : 'file',
          type: typeof entry.data.type === 'string' ? entry.data.type : blob.type,
        };
        if (!meta.caseId) return { kind: 'ok', status: 200 };
        if (await isDeleted(meta.caseId)) return deletedThere;
        await caseReady(meta.caseId);
        return waitForCase(await createRow('annotations', id, annotationOfAttachment(meta, await base64Of(blob))));
      }
    }
  }

  return {
    deliver,
    prepare,
    // Writes waiting at the same time go in one $batch (dynamics365/batch.ts).
    changesPerRequest: BATCH_MAX,

    async fetchRecord(entity, id) {
      if (entity !== 'case') return { ok: true, record: undefined };
      const local = await db.cases.get(id);
      const sent = await client.request('GET', `/incidents(${guidOf(id)})?$select=title,description,prioritycode,caseorigincode,statecode,statuscode`);
      if (!sent.ok) return { ok: false, outcome: sent.outcome };
      if (sent.result.kind === 'response' && sent.result.status === 404) return { ok: true, record: undefined };
      if (sent.result.kind !== 'response' || sent.result.status !== 200) return { ok: false, outcome: refusal(sent.result) };
      const row = jsonBody(sent.result) as IncidentRow | undefined;
      if (!local || !row) return { ok: true, record: undefined };
      const etag = etagOf(sent.result);
      return { ok: true, record: { entity, id, etag, version: versionOfEtag(etag) ?? 0, data: caseFromIncident(local, row, settings.originCodes) } };
    },

    pullChanges: (cursor) => pullIncidentChanges(client, db, cursor, { now: io.now, originCodes: settings.originCodes }),

    async testConnection() {
      const sent = await client.request('GET', '/WhoAmI');
      if (!sent.ok) return sent.outcome;
      if (sent.result.kind === 'response' && sent.result.status === 200) return { kind: 'ok', status: 200 };
      return refusal(sent.result);
    },
  };
}
