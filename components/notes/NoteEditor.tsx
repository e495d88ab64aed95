import { useEffect, useRef, useState } from 'preact/hooks';
import { addNote } from '../../lib/notes/notes';
import { sanitizeNoteHtml } from '../../lib/notes/prepare';
import { t } from '../../lib/i18n/t';
import { agentName } from '../shell/panel-state';
import { errorKeyOf } from '../format';
import { maskPasted, maskPastedNow, preparePasteMasking } from '../redaction/masked-paste';
import { maskedNoticeOf } from '../redaction/summary';

/** A pasted image goes into the note as a data: URL up to this size; larger ones belong in Attachments. */
export const PASTED_IMAGE_MAX_BYTES = 300 * 1024;
const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

export interface NoteEditorProps {
  caseId?: string;
  /** The note being edited (edit mode): its id names the editor's elements. */
  noteId?: string;
  mode: 'add' | 'edit';
  initialHtml?: string;
  initialText?: string;
  /** Edit mode: store the body (add mode calls addNote itself). */
  onSave?: (html: string) => Promise<void>;
  /** Add mode for a case not saved yet: keep the body (the form saves it with the case). */
  onAdd?: (html: string) => Promise<void>;
  onCancel?: () => void;
}

function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** Puts the caret where something is dropped (Chromium's caretRangeFromPoint, the standard caretPositionFromPoint). */
function caretTo(x: number, y: number): void {
  const doc = document as Document & { caretRangeFromPoint?(x: number, y: number): Range | null };
  let range: Range | null | undefined = doc.caretRangeFromPoint?.(x, y);
  if (!range && document.caretPositionFromPoint) {
    const position = document.caretPositionFromPoint(x, y);
    if (position) {
      range = document.createRange();
      range.setStart(position.offsetNode, position.offset);
    }
  }
  const selection = getSelection();
  if (!range || !selection) return;
  selection.removeAllRanges();
  selection.addRange(range);
}

/**
 * The rich-text note editor: a contenteditable box with Bold, Italic, bulleted
 * and numbered lists and links (Ctrl+B / Ctrl+I too). Pasted or dropped HTML is
 * cleaned with the notes' DOMPurify allow-list before it enters the box; pasted or dropped images
 * go in as data: URLs up to PASTED_IMAGE_MAX_BYTES. Everything is sanitized
 * again when saved (lib/notes/prepare.ts). Loaded lazily.
 */
export function NoteEditor(props: NoteEditorProps) {
  const box = useRef<HTMLDivElement>(null);
  const savedRange = useRef<Range | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [linking, setLinking] = useState(false);
  const [link, setLink] = useState('https://');
  const id = props.mode === 'add' ? 'note-new' : `note-edit-${props.noteId ?? 'note'}`;
  const errorId = `${id}-error`;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    if (props.initialHtml !== undefined) el.innerHTML = sanitizeNoteHtml(props.initialHtml);
    else if (props.initialText !== undefined) el.textContent = props.initialText;
    if (props.mode === 'edit') el.focus();
    // The masker is loaded before the first paste, so that a paste is masked within its own event.
    void preparePasteMasking().catch((error: unknown) => console.error('paste masking not loaded', error));
  }, []);

  const command = (name: string, value?: string) => {
    box.current?.focus();
    // execCommand is deprecated but is still the only editing command set both
    // Chromium and Firefox implement for contenteditable; it keeps undo working.
    document.execCommand(name, false, value);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    const key = event.key.toLowerCase();
    if (key === 'b' || key === 'i') {
      event.preventDefault();
      command(key === 'b' ? 'bold' : 'italic');
    } else if (key === 'enter') {
      event.preventDefault();
      void save();
    }
  };

  /**
   * A paste or a drop: images go in as data: URLs, HTML only once cleaned (nothing pasted or
   * dropped runs, even while editing), HTML and text only once masked (card numbers, IBANs,
   * secrets, ids: lib/redaction), with the same "Masked …" notice as the form. Returns
   * whether it took the transfer from the browser.
   */
  const takeTransfer = (data: DataTransfer, event: Event): boolean => {
    const images = [...data.files].filter((f) => f.type.startsWith('image/') && f.type !== 'image/svg+xml');
    if (images.length > 0) {
      event.preventDefault();
      void insertImages(images);
      return true;
    }
    const html = data.getData('text/html');
    const text = data.getData('text/plain');
    if (!html && !text) return false;
    event.preventDefault();
    let clean: string;
    try {
      clean = html ? sanitizeNoteHtml(html) : text;
    } catch (e) {
      setError(errorKeyOf(e));
      return true;
    }
    const now = maskPastedNow(clean, html ? 'html' : 'text');
    if (now) {
      command(html ? 'insertHTML' : 'insertText', now.body);
      if (now.items.length > 0) setNotice(maskedNoticeOf(now.items));
      return true;
    }
    // The masker is still loading: the text goes where the caret is now, once it is masked.
    const selection = getSelection();
    const range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0).cloneRange() : undefined;
    void (async () => {
      try {
        const masked = await maskPasted(clean, html ? 'html' : 'text');
        box.current?.focus();
        const current = getSelection();
        if (range && current) {
          current.removeAllRanges();
          current.addRange(range);
        }
        command(html ? 'insertHTML' : 'insertText', masked.body);
        if (masked.items.length > 0) setNotice(maskedNoticeOf(masked.items));
      } catch (e) {
        setError(errorKeyOf(e));
      }
    })();
    return true;
  };

  /** The editor's dialog took the focus and the selection: the caret goes back where it was, else to the end of the box. */
  const restoreCaret = (caret: Range | undefined) => {
    const el = box.current;
    const selection = getSelection();
    if (!el || !selection) return;
    el.focus();
    let range = caret;
    if (!range || !el.contains(range.startContainer)) {
      range = document.createRange();
      range.selectNodeContents(el);
      range.collapse(false);
    }
    selection.removeAllRanges();
    selection.addRange(range);
  };

  const insertImages = async (images: File[]) => {
    const tooLarge: File[] = images.filter((f) => f.size > PASTED_IMAGE_MAX_BYTES);
    for (const image of images.filter((f) => f.size <= PASTED_IMAGE_MAX_BYTES)) {
      // Through the screenshot editor first: what the agent hides never enters the note.
      const selection = getSelection();
      const caret = selection && selection.rangeCount > 0 ? selection.getRangeAt(0).cloneRange() : undefined;
      const edited = await (await import('../redaction/edit-image')).editImageBeforeAttaching(image, image.name || t('imageRedactor.pastedImage'));
      if (!edited) continue;
      restoreCaret(caret);
      if (edited.size > PASTED_IMAGE_MAX_BYTES) {
        tooLarge.push(image);
        continue;
      }
      const url = await readAsDataUrl(edited);
      command('insertHTML', sanitizeNoteHtml(`<img src="${url}" alt="">`));
    }
    if (tooLarge.length > 0) setNotice(t('note.image.tooLarge', [tooLarge.map((f) => f.name || 'image').join(', '), Math.round(PASTED_IMAGE_MAX_BYTES / 1024)]));
  };

  const onPaste = (event: ClipboardEvent) => {
    if (event.clipboardData) takeTransfer(event.clipboardData, event);
  };

  /** Text dragged within the box is the box's own (already clean): the browser moves it. */
  const draggingOwn = useRef(false);
  const onDrop = (event: DragEvent) => {
    if (!event.dataTransfer || draggingOwn.current) return;
    // Dropped HTML went into the box as the page wrote it (until Save cleaned it): taken as a paste, at the drop point.
    caretTo(event.clientX, event.clientY);
    takeTransfer(event.dataTransfer, event);
  };

  const startLink = () => {
    const selection = getSelection();
    savedRange.current = selection && selection.rangeCount > 0 ? selection.getRangeAt(0).cloneRange() : undefined;
    setLinking(true);
  };
  const applyLink = () => {
    if (!SAFE_LINK.test(link.trim())) {
      setNotice(t('note.link.invalid'));
      return;
    }
    box.current?.focus();
    const selection = getSelection();
    if (savedRange.current && selection) {
      selection.removeAllRanges();
      selection.addRange(savedRange.current);
    }
    if (selection && selection.isCollapsed) command('insertHTML', sanitizeNoteHtml(`<a href="${link.trim().replace(/"/g, '%22')}">${link.trim().replace(/</g, '&lt;')}</a>`));
    else command('createLink', link.trim());
    setLinking(false);
    setNotice(undefined);
    setLink('https://');
  };

  const save = async () => {
    const el = box.current;
    if (!el || busy) return;
    setBusy(true);
    try {
      const html = el.innerHTML;
      if (props.mode === 'edit' && props.onSave) await props.onSave(html);
      else if (props.onAdd) await props.onAdd(html);
      else await addNote(props.caseId, { body: html, format: 'html' }, { actor: agentName.value });
      if (props.mode === 'add') el.innerHTML = '';
      setError(undefined);
      setNotice(undefined);
    } catch (e) {
      setError(errorKeyOf(e));
      el.focus();
    } finally {
      setBusy(false);
    }
  };

  const tool = (name: string, label: string, onClick: () => void, shortcut?: string) => (
    <button
      type="button"
      name={`format.${name}`}
      class="note-editor__tool"
      title={shortcut ? `${label} (${shortcut})` : label}
      aria-label={label}
      // Keep the selection in the box while clicking a tool.
      onMouseDown={(e) => e.preventDefault()}
      onClick={onClick}
    >
      {t(`note.tool.${name}.short`)}
    </button>
  );

  return (
    <div class="note-editor" data-mode={props.mode}>
      <label id={`${id}-label`} class={props.mode === 'edit' ? 'visually-hidden' : 'note-editor__label'}>
        {props.mode === 'add' ? t('note.new.label') : t('note.edit.label')}
      </label>
      <div class="note-editor__toolbar" role="toolbar" aria-label={t('note.toolbar')} aria-controls={id}>
        {tool('bold', t('note.tool.bold'), () => command('bold'), 'Ctrl+B')}
        {tool('italic', t('note.tool.italic'), () => command('italic'), 'Ctrl+I')}
        {tool('bulleted', t('note.tool.bulleted'), () => command('insertUnorderedList'))}
        {tool('numbered', t('note.tool.numbered'), () => command('insertOrderedList'))}
        {tool('link', t('note.tool.link'), startLink)}
      </div>
      {linking && (
        <div class="row note-editor__link">
          <label for={`${id}-link`} class="visually-hidden">
            {t('note.link.label')}
          </label>
          <input
            id={`${id}-link`}
            name="note.link"
            type="url"
            value={link}
            autoFocus
            onInput={(e) => setLink(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                applyLink();
              } else if (e.key === 'Escape') {
                e.preventDefault();
                setLinking(false);
                box.current?.focus();
              }
            }}
          />
          <button type="button" name="note.link.apply" onClick={applyLink}>
            {t('note.link.apply')}
          </button>
        </div>
      )}
      <div
        ref={box}
        id={id}
        class="note-editor__box"
        data-name="note"
        contentEditable
        role="textbox"
        aria-multiline="true"
        aria-labelledby={`${id}-label`}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? errorId : undefined}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        onDrop={onDrop}
        onDragStart={() => (draggingOwn.current = true)}
        onDragEnd={() => (draggingOwn.current = false)}
        onInput={() => error && setError(undefined)}
      />
      {notice && (
        <p class="field__hint" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p class="field__error" id={errorId} role="alert">
          {t(error)}
        </p>
      )}
      <div class="actions">
        <button type="button" class="primary" name="saveNote" disabled={busy} onClick={() => void save()}>
          {props.mode === 'add' ? t('note.add') : t('detail.save')}
        </button>
        {props.onCancel && (
          <button type="button" name="cancelNote" onClick={props.onCancel}>
            {t('detail.discard')}
          </button>
        )}
      </div>
    </div>
  );
}
