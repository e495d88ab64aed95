import { describe, expect, it } from 'vitest';
import type { HttpResult } from '../../../lib/sync/http';
import { outcomeOf } from '../../../lib/sync/dynamics365/errors';
import { guidOf, guidOfName, ulidOf } from '../../../lib/sync/dynamics365/guid';
import {
  annotationOfAttachment,
  annotationOfNote,
  caseFromIncident,
  closeIncidentOf,
  contactOf,
  descriptionFrom,
  incidentOf,
  splitName,
  versionOfEtag,
} from '../../../lib/sync/dynamics365/mapping';
import type { Case, Customer } from '../../../lib/schema';
import { odataString } from '../../../lib/sync/dynamics365/rows';
import { validateBackendSettings } from '../../../lib/sync/settings';

const CASE_ID = '01JD0Z6W8P3V7Q2R5T9X4Y6B1C';
const CUSTOMER_ID = '01JD0Z6W8P3V7Q2R5T9X4Y6B1D';

const aCase: Case = {
  id: CASE_ID,
  number: 'CAS-000042-K7Q2',
  title: 'Printer jams',
  customerId: CUSTOMER_ID,
  subject: 'Hardware',
  origin: 'email',
  product: '',
  priority: 'urgent',
  state: 'active',
  owner: 'ana@contoso.example',
  tags: ['vip', 'onsite'],
  tagKeys: ['vip', 'onsite'],
  description: 'Jams on every second page.',
  createdAt: 1,
  updatedAt: 2,
  version: 1,
};

const customer: Customer = {
  id: CUSTOMER_ID,
  kind: 'contact',
  name: 'Maria de la Cruz',
  emails: ['maria@fabrikam.example'],
  phones: ['+34 600 000 000'],
  company: 'Fabrikam',
  searchKeys: [],
  createdAt: 1,
  updatedAt: 1,
  version: 1,
};

function answer(status: number, body?: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    kind: 'response',
    status,
    headers: new Headers(headers),
    body: body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body)),
    bodyTooLarge: false,
  };
}

describe('Dynamics 365 ids', () => {
  it('writes a record\'s ULID as its GUID and back, the same on every try', async () => {
    const guid = guidOf(CASE_ID);
    expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(guidOf(CASE_ID)).toBe(guid);
    expect(ulidOf(guid)).toBe(CASE_ID);
    expect(guidOf(CUSTOMER_ID)).not.toBe(guid);
    expect(await guidOfName('sidecase account fabrikam')).toBe(await guidOfName('sidecase account fabrikam'));
  });

  it("gives every ULID the GUID of its value's low 128 bits, whatever its digits and their case, and refuses other text", () => {
    const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    /** The value as a number, the definition guidOf follows. */
    const byValue = (ulid: string) => {
      let value = 0n;
      for (const char of ulid.toUpperCase()) value = value * 32n + BigInt(CROCKFORD.indexOf(char));
      const hex = (value % 2n ** 128n).toString(16).padStart(32, '0');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    };
    const ulids = [CASE_ID, CUSTOMER_ID, '00000000000000000000000000', '7ZZZZZZZZZZZZZZZZZZZZZZZZZ', 'ZZZZZZZZZZZZZZZZZZZZZZZZZZ', '01hzxk4v7m2q8r9s0t1v2w3x4y'];
    let seed = 7;
    for (let n = 0; n < 500; n++) {
      let ulid = '';
      for (let i = 0; i < 26; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        ulid += CROCKFORD[seed % 32];
      }
      ulids.push(n % 2 ? ulid : ulid.toLowerCase());
    }
    for (const ulid of ulids) expect(guidOf(ulid), ulid).toBe(byValue(ulid));
    expect(ulidOf(guidOf('01hzxk4v7m2q8r9s0t1v2w3x4y'))).toBe('01HZXK4V7M2Q8R9S0T1V2W3X4Y');
    expect(() => guidOf('01HZXK4V7M2Q8R9S0T1V2W3XIU')).toThrow('not a ULID');
  });
});

describe('Dynamics 365 mapping, Sidecase → Dataverse', () => {
  it('maps a case to an incident: title, description with the tags footer, origin, priority, customer bind and its id', () => {
    const body = incidentOf(aCase, { customer: { set: 'contacts', id: guidOf(CUSTOMER_ID) }, subjectId: 'aaaaaaaa-0000-4000-8000-000000000001' }, { create: true });
    expect(body).toEqual({
      incidentid: guidOf(CASE_ID),
      title: 'Printer jams',
      description: 'Jams on every second page.\n\n— Sidecase —\nTags: vip, onsite',
      caseorigincode: 2,
      prioritycode: 1,
      'customerid_contact@odata.bind': `/contacts(${guidOf(CUSTOMER_ID)})`,
      'subjectid@odata.bind': '/subjects(aaaaaaaa-0000-4000-8000-000000000001)',
    });
  });

  it('maps priorities urgent and high to 1, normal 2, low 3, and origins phone 1, email 2, web 3, others as configured', () => {
    const code = (patch: Partial<Case>, codes = {}) => incidentOf({ ...aCase, ...patch }, { originCodes: codes }, { create: false });
    expect(['urgent', 'high', 'normal', 'low'].map((priority) => code({ priority: priority as Case['priority'] }).prioritycode)).toEqual([1, 1, 2, 3]);
    expect(['phone', 'email', 'web'].map((origin) => code({ origin: origin as Case['origin'] }).caseorigincode)).toEqual([1, 2, 3]);
    expect(code({ origin: 'chat' })).not.toHaveProperty('caseorigincode');
    expect(code({ origin: 'chat' }, { chat: 192350000 }).caseorigincode).toBe(192350000);
    expect(code({})).not.toHaveProperty('incidentid');
  });

  it('says so in the description when a subject or product has no exact match, and binds an account for a company-only customer', () => {
    const body = incidentOf({ ...aCase, tags: [], product: 'LaserJet 5' }, { customer: { set: 'accounts', id: 'bbbbbbbb-0000-4000-8000-000000000002' } }, { create: false });
    expect(body.description).toBe(
      'Jams on every second page.\n\n— Sidecase —\nSubject (no such subject in Dynamics 365): Hardware\nProduct (no such product in Dynamics 365): LaserJet 5',
    );
    expect(body['customerid_account@odata.bind']).toBe('/accounts(bbbbbbbb-0000-4000-8000-000000000002)');
  });

  it('maps a customer to a contact with its company\'s account, and a note and a file to annotations on the incident', () => {
    expect(contactOf(customer, { accountId: 'cccccccc-0000-4000-8000-000000000003', create: true })).toEqual({
      contactid: guidOf(CUSTOMER_ID),
      firstname: 'Maria de la',
      lastname: 'Cruz',
      emailaddress1: 'maria@fabrikam.example',
      telephone1: '+34 600 000 000',
      'parentcustomerid_account@odata.bind': '/accounts(cccccccc-0000-4000-8000-000000000003)',
    });
    expect(contactOf({ ...customer, name: '', phones: [] }, { create: false }).lastname).toBe('maria@fabrikam.example');
    expect(splitName('Cher')).toEqual({ lastname: 'Cher' });
    const noteId = '01JD0Z6W8P3V7Q2R5T9X4Y6B1E';
    expect(annotationOfNote({ id: noteId, caseId: CASE_ID, body: 'Called back.\nAll good.' }, { create: true })).toEqual({
      annotationid: guidOf(noteId),
      subject: 'Called back. All good.',
      notetext: 'Called back.\nAll good.',
      'objectid_incident@odata.bind': `/incidents(${guidOf(CASE_ID)})`,
    });
    expect(annotationOfAttachment({ id: noteId, caseId: CASE_ID, name: 'log.txt', type: 'text/plain' }, 'aGk=')).toMatchObject({
      filename: 'log.txt',
      mimetype: 'text/plain',
      documentbody: 'aGk=',
      isdocument: true,
    });
  });

  it('resolves through CloseIncident with status 5 or 1000 by resolution type', () => {
    const resolved = (type: NonNullable<Case['resolution']>['type']) =>
      closeIncidentOf({ ...aCase, state: 'resolved', resolution: { type, text: 'Replaced the roller.', at: 3, by: 'ana' } }, 'dddddddd-0000-4000-8000-000000000004');
    expect(resolved('problemSolved')).toEqual({
      IncidentResolution: {
        activityid: 'dddddddd-0000-4000-8000-000000000004',
        subject: 'Replaced the roller.',
        description: 'Replaced the roller.',
        'incidentid@odata.bind': `/incidents(${guidOf(CASE_ID)})`,
      },
      Status: 5,
    });
    expect(resolved('informationProvided').Status).toBe(1000);
  });

  it('quotes OData string literals', () => {
    expect(decodeURIComponent(odataString("O'Brien & Co"))).toBe("'O''Brien & Co'");
  });

  it('accepts the D365 settings with the default authority, and names the field of each problem', () => {
    expect(validateBackendSettings({ kind: 'dynamics365', url: 'https://contoso.crm4.dynamics.com/', clientId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' })).toEqual({
      ok: true,
      settings: {
        kind: 'dynamics365',
        url: 'https://contoso.crm4.dynamics.com',
        clientId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
        authority: 'https://login.microsoftonline.com/organizations',
      },
    });
    expect(validateBackendSettings({ kind: 'dynamics365', url: 'http://contoso.example', clientId: 'nope', authority: 'ftp://x' })).toEqual({
      ok: false,
      fields: { 'd365.url': 'sync.settings.url.httpNotLocal', 'd365.clientId': 'sync.settings.d365.clientId.invalid', 'd365.authority': 'sync.settings.url.notHttp' },
    });
  });
});

describe('Dynamics 365 mapping, Dataverse → Sidecase', () => {
  it('lays an incident\'s columns over the local case, without the footer, keeping what Dataverse cannot tell apart', () => {
    const row = {
      incidentid: guidOf(CASE_ID),
      title: 'Printer jams (site visit)',
      description: 'Jams on every page now.\n\n— Sidecase —\nTags: vip, onsite',
      prioritycode: 1,
      caseorigincode: 2,
      statecode: 0,
    };
    expect(caseFromIncident(aCase, row)).toEqual({ ...aCase, title: 'Printer jams (site visit)', description: 'Jams on every page now.' });
    expect(caseFromIncident(aCase, { ...row, prioritycode: 3, caseorigincode: 1 })).toMatchObject({ priority: 'low', origin: 'phone' });
    expect(caseFromIncident(aCase, { ...row, statecode: 1, statuscode: 1000 })).toMatchObject({ state: 'resolved', statusReason: 'informationProvided' });
    expect(caseFromIncident(aCase, { ...row, statecode: 2, statuscode: 2000 })).toMatchObject({ state: 'cancelled', statusReason: 'merged' });
    expect(caseFromIncident({ ...aCase, state: 'resolved' }, { ...row, statecode: 0 })).toMatchObject({ state: 'active', statusReason: 'inProgress' });
    expect(descriptionFrom('plain')).toBe('plain');
    expect(versionOfEtag('W/"915244"')).toBe(915244);
    expect(versionOfEtag('"strong"')).toBeUndefined();
  });
});

describe('Dynamics 365 answers → sync status', () => {
  const now = Date.UTC(2026, 0, 1);
  const error = (code: string) => ({ error: { code, message: 'm' } });
  it('gives every status code a clear outcome', () => {
    expect(outcomeOf(answer(201), now)).toBeUndefined();
    expect(outcomeOf(answer(204), now)).toBeUndefined();
    expect(outcomeOf(answer(400, error('0x80040203')), now)).toEqual({ kind: 'fatal', status: 400, error: 'sync.d365.error.rejected', scope: 'record' });
    expect(outcomeOf(answer(401), now)).toMatchObject({ kind: 'fatal', error: 'sync.error.unauthorized', scope: 'backend' });
    expect(outcomeOf(answer(403, error('0x80040220')), now)).toMatchObject({ kind: 'fatal', error: 'sync.d365.error.privilege', scope: 'backend' });
    expect(outcomeOf(answer(403), now)).toMatchObject({ kind: 'fatal', error: 'sync.error.forbidden', scope: 'backend' });
    // "Does Not Exist" is about one row; a 404 without Dataverse's error body is a wrong URL.
    expect(outcomeOf(answer(404, error('0x80040217')), now)).toEqual({ kind: 'fatal', status: 404, error: 'sync.d365.error.doesNotExist', scope: 'record' });
    expect(outcomeOf(answer(404), now)).toMatchObject({ kind: 'fatal', error: 'sync.error.notFound', scope: 'backend' });
    expect(outcomeOf(answer(412, error('0x80060882')), now)).toEqual({ kind: 'conflict', status: 412 });
    expect(outcomeOf(answer(429, error('0x80072322'), { 'Retry-After': '7' }), now)).toEqual({ kind: 'retry', status: 429, error: 'sync.error.rateLimited', retryAfterMs: 7000 });
    expect(outcomeOf(answer(503, undefined, { 'Retry-After': '3' }), now)).toEqual({ kind: 'retry', status: 503, error: 'sync.error.server', retryAfterMs: 3000 });
    expect(outcomeOf(answer(500), now)).toMatchObject({ kind: 'retry', error: 'sync.error.server' });
    expect(outcomeOf({ kind: 'network', timedOut: true }, now)).toEqual({ kind: 'retry', error: 'sync.error.timeout' });
    expect(outcomeOf({ kind: 'redirect' }, now)).toMatchObject({ kind: 'fatal', scope: 'backend' });
  });
});
