import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { t, uiLanguage } from '../../lib/i18n/t';
import type { ScanGroup, ScanReport } from '../../lib/redaction/scan';
import type { MaskScannedResult } from '../../lib/redaction/scan-mask';
import { DEFAULT_REDACTION_MODES } from '../../lib/redaction/span';
import { summaryOfCounts } from '../redaction/summary';
import '../redaction/redaction.css';

type Phase =
  | { name: 'idle' }
  | { name: 'scanning'; scanned: number; total: number }
  | { name: 'found'; report: ScanReport }
  | { name: 'masking'; report: ScanReport }
  | { name: 'masked'; result: MaskScannedResult }
  | { name: 'cancelled'; scanned: number }
  | { name: 'failed' };

/** The scan and the database load only when the agent asks for a scan. */
const loadScan = () => Promise.all([import('../../lib/redaction/scan'), import('../../lib/db/db'), import('../../lib/settings')]);
const loadMask = () => Promise.all([import('../../lib/redaction/scan-mask'), import('../../lib/db/db'), import('../../lib/settings')]);

const groupKey = (group: ScanGroup) => group.caseId ?? 'inbox';

/**
 * Options → "Scan stored cases" (issue 15, item 5): cases and notes stored
 * before masking (or while a kind was off) are read in chunks with a progress
 * bar, what they hold is shown by case as masked forms only (the original is
 * never rendered), and masked on confirmation through lib/redaction/scan.ts,
 * which puts each change on the case's timeline and in the outbox.
 */
export function ScanStored() {
  const phase = useSignal<Phase>({ name: 'idle' });
  /** Cases the agent unticked: left as they are. */
  const skipped = useSignal<ReadonlySet<string>>(new Set());
  const abort = useRef<AbortController | undefined>(undefined);
  const numbers = new Intl.NumberFormat(uiLanguage());
  useEffect(() => () => abort.current?.abort(), []);

  const scan = async () => {
    const controller = new AbortController();
    abort.current = controller;
    skipped.value = new Set();
    phase.value = { name: 'scanning', scanned: 0, total: 0 };
    try {
      const [{ scanStored }, { db }, { loadSettings }] = await loadScan();
      const modes = (await loadSettings()).redaction ?? DEFAULT_REDACTION_MODES;
      const report = await scanStored(db, {
        mask: { modes },
        signal: controller.signal,
        onProgress: ({ scanned, total }) => {
          if (!controller.signal.aborted) phase.value = { name: 'scanning', scanned, total };
        },
      });
      phase.value = report.cancelled ? { name: 'cancelled', scanned: report.scanned } : { name: 'found', report };
    } catch (error) {
      console.error('scan failed', error);
      phase.value = { name: 'failed' };
    }
  };

  const mask = async (report: ScanReport) => {
    phase.value = { name: 'masking', report };
    try {
      const [{ maskScanned }, { db }, { loadSettings }] = await loadMask();
      const settings = await loadSettings();
      const groups = report.groups.filter((group) => !skipped.value.has(groupKey(group)));
      const result = await maskScanned(groups, { db, actor: settings.agentName, mask: { modes: settings.redaction ?? DEFAULT_REDACTION_MODES } });
      phase.value = { name: 'masked', result };
      // The corrections wait in the outbox: the background delivers them now rather than at its next alarm.
      const { sendMessage } = await import('../../lib/messages');
      void sendMessage('sync.nudge', {});
    } catch (error) {
      console.error('masking failed', error);
      phase.value = { name: 'failed' };
    }
  };

  const toggle = (key: string, include: boolean) => {
    const next = new Set(skipped.value);
    if (include) next.delete(key);
    else next.add(key);
    skipped.value = next;
  };

  const p = phase.value;
  const isBusy = p.name === 'scanning' || p.name === 'masking';
  return (
    <section class="scan-stored" aria-labelledby="scan-stored-heading">
      <h2 id="scan-stored-heading">{t('scan.title')}</h2>
      <p class="field__hint">{t('scan.help')}</p>
      <div class="actions">
        <button type="button" name="redaction.scan" disabled={isBusy} onClick={() => void scan()}>
          {t('scan.start')}
        </button>
        {p.name === 'scanning' && (
          <button type="button" name="redaction.scan.cancel" onClick={() => abort.current?.abort()}>
            {t('scan.cancel')}
          </button>
        )}
      </div>
      {p.name === 'scanning' && (
        <p>
          {/* Indeterminate until the records are counted. */}
          <progress aria-label={t('scan.progress.label')} max={Math.max(1, p.total)} value={p.total > 0 ? p.scanned : undefined} />{' '}
          <span role="status">{p.total > 0 ? t('scan.progress', [numbers.format(p.scanned), numbers.format(p.total)]) : ''}</span>
        </p>
      )}
      {p.name === 'cancelled' && <p role="status">{t('scan.cancelled', numbers.format(p.scanned))}</p>}
      {p.name === 'failed' && (
        <p class="field__error" role="alert">
          {t('scan.failed')}
        </p>
      )}
      {p.name === 'masked' && (
        <p role="status" data-scan-result="masked">
          {p.result.cases + p.result.notes === 0
            ? t('scan.masked.nothing')
            : t('scan.masked', [summaryOfCounts(p.result.counts), numbers.format(p.result.cases), numbers.format(p.result.notes)])}
          {p.result.failed > 0 && <> {t('scan.masked.failed', numbers.format(p.result.failed))}</>}
        </p>
      )}
      {(p.name === 'found' || p.name === 'masking') && <Found report={p.report} skipped={skipped.value} onToggle={toggle} />}
      {(p.name === 'found' || p.name === 'masking') && p.report.groups.length > 0 && (
        <div class="actions">
          <button type="button" class="primary" name="redaction.scan.confirm" disabled={isBusy || skipped.value.size === p.report.groups.length} onClick={() => void mask(p.report)}>
            {t('scan.confirm')}
          </button>
          <button type="button" name="redaction.scan.discard" disabled={isBusy} onClick={() => (phase.value = { name: 'idle' })}>
            {t('scan.discard')}
          </button>
        </div>
      )}
    </section>
  );
}

/** What the scan found: the counts, then each case with its findings as masked previews. */
function Found({ report, skipped, onToggle }: { report: ScanReport; skipped: ReadonlySet<string>; onToggle: (key: string, include: boolean) => void }) {
  const numbers = new Intl.NumberFormat(uiLanguage());
  if (report.groups.length === 0) return <p role="status">{t('scan.none', numbers.format(report.scanned))}</p>;
  return (
    <>
      <p role="status" data-scan-result="found">
        {t('scan.found', [summaryOfCounts(report.counts), numbers.format(report.scanned)])}
      </p>
      {report.groups.map((group) => {
        const key = groupKey(group);
        const name = group.caseNumber ?? (group.caseId ? group.caseId : t('scan.group.inbox'));
        return (
          <section key={key} class="scan-stored__case" data-case-number={group.caseNumber} aria-label={name}>
            <h3>
              <label>
                <input type="checkbox" name="redaction.scan.include" value={key} checked={!skipped.has(key)} onChange={(e) => onToggle(key, e.currentTarget.checked)} />{' '}
                {name}
              </label>
            </h3>
            <table class="scan-stored__table">
              <thead>
                <tr>
                  <th scope="col">{t('scan.col.where')}</th>
                  <th scope="col">{t('scan.col.kind')}</th>
                  <th scope="col">{t('scan.col.preview')}</th>
                </tr>
              </thead>
              <tbody>
                {group.findings.map((finding, i) => (
                  <tr key={i} data-label={finding.label} data-field={finding.field}>
                    <td>{t(`scan.field.${finding.field}`)}</td>
                    <td>{t(`redaction.label.${finding.label}`)}</td>
                    <td>
                      <Preview text={finding.preview} masked={finding.masked} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </>
  );
}

/** A finding's masked text around it, the masked form highlighted. */
function Preview({ text, masked }: { text: string; masked: string }) {
  const at = text.indexOf(masked);
  if (at < 0) return <span>{text}</span>;
  return (
    <span>
      {text.slice(0, at)}
      <mark>{masked}</mark>
      {text.slice(at + masked.length)}
    </span>
  );
}
