import { useEffect, useState } from 'preact/hooks';
import { FilterSelect } from '../shell/FilterSelect';
import {
  ATTACHMENT_SORTS,
  AttachmentDeleteRefusedError,
  AttachmentTooLargeError,
  addAttachments,
  arrangeAttachments,
  deleteAttachments,
  deleteRefusalOf,
  listAttachments,
  type AttachmentSort,
  type AttachmentSource,
  type AttachmentView,
  type IncomingFile,
} from '../../lib/attachments/attachments';
import { maxAttachmentBytes } from '../../lib/cases/case-settings';
import { ATTACHMENT_SOURCES, type Attachment } from '../../lib/schema';
import { formatTime, t } from '../../lib/i18n/t';
import { agentName } from '../shell/panel-state';
import { Lazy } from '../shell/Lazy';
import { useLiveQuery } from '../shell/use-live-query';
import { caseSettings } from '../cases/case-settings-live';
import { errorKeyOf, formatBytes } from '../format';
import type { AttachmentPreviewProps } from './AttachmentPreview';

const loadPreview = () => import('./AttachmentPreview').then((m) => m.AttachmentPreview);

const DAY = 86_400_000;
const SIZE_BUCKETS = { small: [0, 1024 * 1024], medium: [1024 * 1024, 10 * 1024 * 1024], large: [10 * 1024 * 1024, Infinity] } as const;
const AGE_BUCKETS = { today: 1, week: 7, month: 30 } as const;
type SizeBucket = keyof typeof SIZE_BUCKETS | '';
type AgeBucket = keyof typeof AGE_BUCKETS | '';

const canPreview = (a: Pick<Attachment, 'type'>) => a.type.startsWith('image/') || a.type === 'application/pdf';

function download(list: readonly Attachment[]): void {
  for (const a of list) {
    const url = URL.createObjectURL(a.blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = a.name;
    link.click();
    // The download has the Blob once it started; free the URL after.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** An image's thumbnail from an object URL, released when the tile goes away. */
function Thumbnail(props: { attachment: Attachment }) {
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    const next = URL.createObjectURL(props.attachment.blob);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [props.attachment.id]);
  return url ? <img class="tile__thumb" src={url} alt="" loading="lazy" /> : null;
}

/**
 * A case's files: add many at once (picker, drag and drop, paste), list them
 * as a grid or as tiles, search by name, sort and filter by name, size, upload
 * time, uploader and source, preview images and PDFs, download or delete
 * several at once. Only direct uploads can be deleted; the others say why.
 * Loaded lazily with the case.
 */
export function Attachments(props: { caseId: string; readOnly: boolean }) {
  const all = useLiveQuery(() => listAttachments(props.caseId), [props.caseId]);
  const [layout, setLayout] = useState<'grid' | 'tiles'>('grid');
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<AttachmentSort>('uploadedAt');
  const [direction, setDirection] = useState<'asc' | 'desc'>('desc');
  const [source, setSource] = useState<AttachmentSource | ''>('');
  const [uploadedBy, setUploadedBy] = useState('');
  const [size, setSize] = useState<SizeBucket>('');
  const [age, setAge] = useState<AgeBucket>('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [preview, setPreview] = useState<Attachment | undefined>(undefined);

  const list = all ?? [];
  const view: AttachmentView = {
    query,
    sort,
    direction,
    filters: {
      source: source || undefined,
      uploadedBy: uploadedBy || undefined,
      minSize: size ? SIZE_BUCKETS[size][0] : undefined,
      maxSize: size && Number.isFinite(SIZE_BUCKETS[size][1]) ? SIZE_BUCKETS[size][1] - 1 : undefined,
      from: age ? Date.now() - AGE_BUCKETS[age] * DAY : undefined,
    },
  };
  const shown = arrangeAttachments(list, view);
  const chosen = list.filter((a) => selected.has(a.id));
  const undeletable = chosen.filter((a) => deleteRefusalOf(a));
  const uploaders = [...new Set(list.map((a) => a.uploadedBy))].sort();

  const add = async (files: IncomingFile[], from: AttachmentSource) => {
    if (files.length === 0 || props.readOnly) return;
    setBusy(true);
    setError(undefined);
    try {
      await addAttachments(props.caseId, files, {
        uploadedBy: agentName.value,
        source: from,
        maxBytes: maxAttachmentBytes(caseSettings.value),
      });
    } catch (e) {
      if (e instanceof AttachmentTooLargeError) setError(t('attachment.tooLarge', [e.fileName, Math.round(e.maxBytes / 1024 / 1024)]));
      else setError(`${t('attachment.failedFiles', files.map((f) => f.name).join(', '))} ${t(errorKeyOf(e))}`);
    } finally {
      setBusy(false);
    }
  };
  /** A pasted image goes through the screenshot editor first; one the agent cancels is not attached. */
  const addPasted = async (files: File[]) => {
    const kept: File[] = [];
    for (const file of files) {
      if (!file.type.startsWith('image/')) kept.push(file);
      else {
        const edited = await (await import('../redaction/edit-image')).editImageBeforeAttaching(file, file.name);
        if (edited) kept.push(edited);
      }
    }
    await add(kept, 'clipboard');
  };
  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await deleteAttachments([...selected], { actor: agentName.value });
      setSelected(new Set());
    } catch (e) {
      if (e instanceof AttachmentDeleteRefusedError) setError(e.refused.map((r) => `${r.name}: ${t(r.key)}`).join(' '));
      else setError(t(errorKeyOf(e)));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const allShownSelected = shown.length > 0 && shown.every((a) => selected.has(a.id));

  const checkbox = (a: Attachment) => (
    <input
      type="checkbox"
      name="attachment.select"
      value={a.id}
      checked={selected.has(a.id)}
      aria-label={t('attachment.select', a.name)}
      onChange={(e) => toggle(a.id, e.currentTarget.checked)}
    />
  );
  const rowActions = (a: Attachment) => (
    <>
      {canPreview(a) && (
        <button type="button" class="link" name="attachment.preview" aria-label={t('attachment.previewOf', a.name)} onClick={() => setPreview(a)}>
          {t('attachment.preview')}
        </button>
      )}
      <button type="button" class="link" name="attachment.download" aria-label={t('attachment.downloadOf', a.name)} onClick={() => download([a])}>
        {t('attachment.download')}
      </button>
    </>
  );
  const refusal = (a: Attachment) => {
    const key = deleteRefusalOf(a);
    return key ? <span class="attachment__refusal muted">{t(key)}</span> : null;
  };

  return (
    <section class="case-section attachments" aria-labelledby="attachments-heading">
      <h3 id="attachments-heading">
        {t('attachment.heading')} {all && <span class="count">({list.length})</span>}
      </h3>
      <div
        role="group"
        class={`dropzone ${dragging ? 'dropzone--over' : ''} ${props.readOnly ? 'dropzone--disabled' : ''}`}
        tabIndex={props.readOnly ? -1 : 0}
        aria-label={t('attachment.dropzone')}
        aria-describedby={error ? 'attachments-error' : props.readOnly ? 'case-readonly-reason' : undefined}
        onDragOver={(e) => {
          if (props.readOnly) return;
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void add([...(e.dataTransfer?.files ?? [])], 'upload');
        }}
        onPaste={(e) => {
          const files = [...(e.clipboardData?.files ?? [])];
          if (files.length === 0) return;
          e.preventDefault();
          if (!props.readOnly) void addPasted(files);
        }}
      >
        <p class="muted">{t('attachment.dropzone.hint')}</p>
        <label for="attachments-input" class="button">
          {t('attachment.choose')}
        </label>
        <input
          id="attachments-input"
          class="visually-hidden"
          type="file"
          multiple
          name="attachments"
          disabled={props.readOnly || busy}
          aria-describedby={error ? 'attachments-error' : undefined}
          onChange={(e) => {
            const input = e.currentTarget;
            void add([...(input.files ?? [])], 'upload').then(() => (input.value = ''));
          }}
        />
        {busy && (
          <p class="muted" role="status" aria-busy="true">
            {t('attachment.working')}
          </p>
        )}
      </div>
      {error && (
        <p class="field__error" id="attachments-error" role="alert">
          {error}
        </p>
      )}

      {list.length > 0 && (
        <>
          <div class="attachments__controls">
            <div class="row">
              <div class="field">
                <label for="attachments-search">{t('attachment.search')}</label>
                <input id="attachments-search" name="attachments.search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
              </div>
              <div class="field">
                <label for="attachments-sort">{t('attachment.sort')}</label>
                <select
                  id="attachments-sort"
                  name="attachments.sort"
                  value={`${sort}:${direction}`}
                  onChange={(e) => {
                    const [s, d] = e.currentTarget.value.split(':') as [AttachmentSort, 'asc' | 'desc'];
                    setSort(s);
                    setDirection(d);
                  }}
                >
                  {ATTACHMENT_SORTS.flatMap((s) =>
                    (['asc', 'desc'] as const).map((d) => (
                      <option key={`${s}:${d}`} value={`${s}:${d}`}>
                        {t(`attachment.sort.${s}.${d}`)}
                      </option>
                    )),
                  )}
                </select>
              </div>
            </div>
            <details class="view-filters">
              <summary>{t('list.filters.label')}</summary>
              <div class="row">
                <FilterSelect
                  id="attachments-source"
                  name="attachments.filter.source"
                  label={t('attachment.filter.source')}
                  value={source}
                  options={ATTACHMENT_SOURCES}
                  optionLabel={(s) => t(`attachment.source.${s}`)}
                  onChange={setSource}
                />
                <FilterSelect
                  id="attachments-by"
                  name="attachments.filter.uploadedBy"
                  label={t('attachment.filter.uploadedBy')}
                  value={uploadedBy}
                  options={uploaders}
                  optionLabel={(u) => u}
                  onChange={setUploadedBy}
                />
              </div>
              <div class="row">
                <FilterSelect
                  id="attachments-size"
                  name="attachments.filter.size"
                  label={t('attachment.filter.size')}
                  value={size}
                  options={Object.keys(SIZE_BUCKETS) as Array<keyof typeof SIZE_BUCKETS>}
                  optionLabel={(b) => t(`attachment.size.${b}`)}
                  onChange={setSize}
                />
                <FilterSelect
                  id="attachments-age"
                  name="attachments.filter.uploadedAt"
                  label={t('attachment.filter.uploadedAt')}
                  value={age}
                  options={Object.keys(AGE_BUCKETS) as Array<keyof typeof AGE_BUCKETS>}
                  optionLabel={(b) => t(`attachment.age.${b}`)}
                  onChange={setAge}
                />
              </div>
            </details>
            <div class="actions">
              <div role="group" aria-label={t('attachment.layout')} class="segmented">
                <button type="button" name="attachments.layout.grid" aria-pressed={layout === 'grid'} onClick={() => setLayout('grid')}>
                  {t('attachment.layout.grid')}
                </button>
                <button type="button" name="attachments.layout.tiles" aria-pressed={layout === 'tiles'} onClick={() => setLayout('tiles')}>
                  {t('attachment.layout.tiles')}
                </button>
              </div>
              <button type="button" name="attachments.download" disabled={chosen.length === 0} onClick={() => download(chosen)}>
                {t('attachment.downloadSelected', chosen.length)}
              </button>
              <button
                type="button"
                name="attachments.delete"
                disabled={chosen.length === 0 || undeletable.length > 0 || props.readOnly || busy}
                aria-describedby={undeletable.length > 0 ? 'attachments-undeletable' : props.readOnly ? 'case-readonly-reason' : undefined}
                onClick={() => void remove()}
              >
                {t('attachment.deleteSelected', chosen.length)}
              </button>
            </div>
            {undeletable.length > 0 && (
              <p class="field__hint" id="attachments-undeletable">
                {undeletable.map((a) => `${a.name}: ${t(deleteRefusalOf(a)!)}`).join(' ')}
              </p>
            )}
          </div>

          {shown.length === 0 ? (
            <p class="muted">{t('attachment.noMatch')}</p>
          ) : layout === 'grid' ? (
            <table class="attachments__grid">
              <caption class="visually-hidden">{t('attachment.heading')}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      type="checkbox"
                      name="attachments.selectAll"
                      checked={allShownSelected}
                      aria-label={t('attachment.selectAll')}
                      onChange={(e) => setSelected(e.currentTarget.checked ? new Set(shown.map((a) => a.id)) : new Set())}
                    />
                  </th>
                  <th scope="col">{t('attachment.col.name')}</th>
                  <th scope="col">{t('attachment.col.size')}</th>
                  <th scope="col">{t('attachment.col.uploaded')}</th>
                  <th scope="col">{t('attachment.col.source')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('attachment.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((a) => (
                  <tr key={a.id} data-attachment={a.name}>
                    <td>{checkbox(a)}</td>
                    <td class="attachment__name">
                      {a.name}
                      {refusal(a)}
                    </td>
                    <td>{formatBytes(a.size)}</td>
                    <td>
                      {formatTime(a.uploadedAt)}
                      <br />
                      <span class="muted">{a.uploadedBy}</span>
                    </td>
                    <td>{t(`attachment.source.${a.source}`)}</td>
                    <td class="attachment__actions">{rowActions(a)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <ul class="attachments__tiles">
              {shown.map((a) => (
                <li key={a.id} class="tile" data-attachment={a.name}>
                  <div class="tile__top">
                    {checkbox(a)}
                    <span class="tile__name">{a.name}</span>
                  </div>
                  {a.type.startsWith('image/') ? <Thumbnail attachment={a} /> : <span class="tile__type">{a.type.split('/')[1] ?? a.type}</span>}
                  <span class="muted">
                    {formatBytes(a.size)} · {t(`attachment.source.${a.source}`)}
                  </span>
                  <span class="muted">
                    {formatTime(a.uploadedAt)} · {a.uploadedBy}
                  </span>
                  {refusal(a)}
                  <span class="tile__actions">{rowActions(a)}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {preview && <Lazy<AttachmentPreviewProps> load={loadPreview} props={{ attachment: preview, onClose: () => setPreview(undefined) }} />}
    </section>
  );
}
