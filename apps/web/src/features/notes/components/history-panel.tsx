import type { NoteRevisionSummary } from '@micronote/contracts';
import { diffLines, diffWords } from 'diff';
import type { KeyboardEvent } from 'react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';

import { ConfirmDialog } from '../../../components/confirm-dialog';
import { CloseIcon } from '../../../components/icons';
import { LoadMore } from '../../../components/load-more';
import { EmptyState, ErrorState, SkeletonList, Spinner } from '../../../components/states';
import { clientId } from '../../../lib/client-id';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { toast } from '../../../lib/toast';
import { useRevision, useRevisions } from '../api/get-revisions';
import { useRestoreRevision } from '../api/restore-revision';

export interface HistoryPanelProps {
  noteId: string;
  /** The text in the editor now (what a version is compared with). */
  currentText: string;
  /** The version the editor shows (not offered for restore). */
  currentVersion: number;
  /** Saves pending edits before a restore replaces them. */
  beforeRestore: () => Promise<boolean>;
  onClose: () => void;
}

const sizeLabel = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} KB`);
const sourceLabel = (id: string | null) => (id === clientId ? 'this tab' : 'other device');

/** One line of the diff: kept, added (in the current text) or removed (only in the old version). */
export interface DiffLine {
  kind: 'same' | 'add' | 'del';
  /** Word-level parts when a changed line pairs with one on the other side. */
  parts: { text: string; changed: boolean }[];
}

/**
 * The version against the current text, line by line (jsdiff diffLines); a run of removed lines
 * followed by as many added ones is a change of those lines, shown word by word (diffWords).
 */
export function diffVersions(oldText: string, newText: string): DiffLine[] {
  const out: DiffLine[] = [];
  const split = (value: string) => value.replace(/\n$/, '').split('\n');
  // The last line is the same line whether or not a newline follows it (appending a line changes only the new one).
  const changes = diffLines(oldText, newText, { ignoreNewlineAtEof: true });
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i];
    const next = changes[i + 1];
    if (change.removed && next?.added && (change.count ?? 0) === (next.count ?? 0)) {
      const olds = split(change.value);
      const news = split(next.value);
      const dels: DiffLine[] = [];
      const adds: DiffLine[] = [];
      olds.forEach((line, k) => {
        const words = diffWords(line, news[k]);
        dels.push({ kind: 'del', parts: words.filter((w) => !w.added).map((w) => ({ text: w.value, changed: w.removed })) });
        adds.push({ kind: 'add', parts: words.filter((w) => !w.removed).map((w) => ({ text: w.value, changed: w.added })) });
      });
      out.push(...dels, ...adds);
      i++;
      continue;
    }
    const kind = change.added ? 'add' : change.removed ? 'del' : 'same';
    for (const line of split(change.value)) out.push({ kind, parts: [{ text: line, changed: false }] });
  }
  return out;
}

/**
 * The note's history, newest first (infinite scroll through `nextCursor`): pick a version to see
 * it against the current text and restore it (a new version; confirmed first). Arrow keys, Home
 * and End move through the list; Escape closes.
 */
export function HistoryPanel({ noteId, currentText, currentVersion, beforeRestore, onClose }: HistoryPanelProps) {
  const headingId = useId();
  const revisions = useRevisions(noteId);
  const items = useMemo(() => revisions.data?.pages.flatMap((p) => p.items) ?? [], [revisions.data]);
  const [selected, setSelected] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const restore = useRestoreRevision({
    onSuccess: (note) => {
      setConfirming(false);
      toast.success(`Restored version ${selected} as version ${note.version}`);
      onClose();
    },
  });

  useEffect(() => closeRef.current?.focus(), []);
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape' && !confirming) onClose();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [confirming, onClose]);

  const move = (event: KeyboardEvent<HTMLUListElement>) => {
    const at = items.findIndex((r) => r.version === selected);
    const to =
      event.key === 'ArrowDown'
        ? Math.min(items.length - 1, at + 1)
        : event.key === 'ArrowUp'
          ? Math.max(0, at - 1)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? items.length - 1
              : null;
    if (to === null || items.length === 0) return;
    event.preventDefault();
    setSelected(items[to].version);
    listRef.current?.querySelectorAll<HTMLElement>('[role="option"]')[to]?.scrollIntoView?.({ block: 'nearest' });
  };

  return (
    <aside className="history" aria-labelledby={headingId}>
      <header className="history-header">
        <h2 id={headingId} className="history-title">
          History
        </h2>
        <button ref={closeRef} type="button" className="icon-btn" aria-label="Close history" title="Close (Esc)" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <div className="history-body">
        <div className="history-list-pane">
          {revisions.isPending ? (
            <SkeletonList rows={4} label="Loading the history" />
          ) : revisions.isError ? (
            <ErrorState title="The history could not be loaded" error={revisions.error} onRetry={() => void revisions.refetch()} />
          ) : items.length === 0 ? (
            <EmptyState title="No earlier versions yet">Every save keeps the version before it.</EmptyState>
          ) : (
            <>
              <ul
                ref={listRef}
                className="history-list"
                role="listbox"
                aria-label="Versions, newest first"
                tabIndex={0}
                aria-activedescendant={selected === null ? undefined : `${headingId}-v${selected}`}
                onKeyDown={move}
                onFocus={() => selected === null && items[0] && setSelected(items[0].version)}
              >
                {items.map((r) => (
                  <RevisionItem
                    key={r.version}
                    id={`${headingId}-v${r.version}`}
                    revision={r}
                    selected={r.version === selected}
                    onSelect={() => setSelected(r.version)}
                  />
                ))}
              </ul>
              <LoadMore
                hasNextPage={revisions.hasNextPage}
                isFetchingNextPage={revisions.isFetchingNextPage}
                fetchNextPage={revisions.fetchNextPage}
                label="Loading older versions"
              />
            </>
          )}
        </div>
        <div className="history-diff-pane">
          {selected === null ? (
            <p className="history-hint">Pick a version to compare it with the current text.</p>
          ) : (
            <RevisionDiff
              noteId={noteId}
              version={selected}
              currentText={currentText}
              canRestore={selected !== currentVersion}
              onRestore={() => setConfirming(true)}
            />
          )}
        </div>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Restore version ${selected ?? ''}?`}
        confirmLabel="Restore"
        busy={restore.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          if (selected === null) return;
          void beforeRestore().then(() => restore.mutate({ id: noteId, version: selected }));
        }}
      >
        <p>The note becomes this version again. The current text stays in the history.</p>
      </ConfirmDialog>
    </aside>
  );
}

function RevisionItem({
  id,
  revision,
  selected,
  onSelect,
}: {
  id: string;
  revision: NoteRevisionSummary;
  selected: boolean;
  onSelect: () => void;
}) {
  return (
    <li id={id} role="option" aria-selected={selected} className="history-item" onClick={onSelect}>
      <span className="history-item-main">
        <span className="history-item-version">Version {revision.version}</span>
        <time dateTime={revision.at} title={formatDateTime(revision.at)}>
          {formatRelative(revision.at)}
        </time>
      </span>
      <span className="history-item-meta">
        {sizeLabel(revision.size)} · {sourceLabel(revision.clientId)}
      </span>
    </li>
  );
}

function RevisionDiff({
  noteId,
  version,
  currentText,
  canRestore,
  onRestore,
}: {
  noteId: string;
  version: number;
  currentText: string;
  canRestore: boolean;
  onRestore: () => void;
}) {
  const revision = useRevision(noteId, version);
  const lines = useMemo(() => (revision.data ? diffVersions(revision.data.text, currentText) : []), [revision.data, currentText]);
  if (revision.isPending) return <Spinner label={`Loading version ${version}…`} />;
  if (revision.isError)
    return <ErrorState title={`Version ${version} could not be loaded`} error={revision.error} onRetry={() => void revision.refetch()} />;
  const changed = lines.some((l) => l.kind !== 'same');
  return (
    <div className="history-diff">
      <div className="history-diff-header">
        <p>
          <strong>{revision.data.title}</strong> · version {version} against the current text
        </p>
        <button type="button" className="btn btn-primary btn-sm" onClick={onRestore} disabled={!canRestore}>
          Restore this version
        </button>
      </div>
      {!changed ? (
        <p className="history-hint">Same text as now.</p>
      ) : (
        <pre className="diff" aria-label={`Changes from version ${version} to now`}>
          {lines.map((line, i) => (
            <span key={i} className={`diff-line diff-${line.kind}`}>
              <span className="diff-sign" aria-hidden="true">
                {line.kind === 'add' ? '+' : line.kind === 'del' ? '−' : ' '}
              </span>
              {line.kind !== 'same' && <span className="visually-hidden">{line.kind === 'add' ? 'added: ' : 'removed: '}</span>}
              {line.parts.map((part, k) =>
                part.changed ? (
                  line.kind === 'add' ? (
                    <ins key={k}>{part.text}</ins>
                  ) : (
                    <del key={k}>{part.text}</del>
                  )
                ) : (
                  <span key={k}>{part.text}</span>
                ),
              )}
              {'\n'}
            </span>
          ))}
        </pre>
      )}
    </div>
  );
}
