import { useCallback, useState } from 'react';

export interface NoteSelection {
  /** The selected ids that are in the list now, in list order. */
  ids: string[];
  isSelected: (id: string) => boolean;
  /**
   * Flips one row; with `range` (Shift) every row from the last one flipped to this one takes
   * this row's new state, as in a mail client.
   */
  toggle: (id: string, options?: { range?: boolean }) => void;
  /** Selects every row of the list, or none. */
  setAll: (selected: boolean) => void;
  /** Keeps only these (e.g. the ones a bulk action failed for). */
  keep: (ids: readonly string[]) => void;
  clear: () => void;
}

interface State {
  key: string;
  selected: ReadonlySet<string>;
  anchor: string | null;
}

/**
 * The rows ticked in a list of `ids`. Starts over when `resetKey` changes (another view, search
 * or tag); ids that leave the list (archived, trashed, deleted elsewhere) stop counting.
 */
export function useNoteSelection(ids: readonly string[], resetKey: string): NoteSelection {
  const [state, setState] = useState<State>({ key: resetKey, selected: new Set(), anchor: null });
  // Another list: nothing selected (adjusting state while rendering, as React's docs advise, so no frame shows the old selection).
  const current = state.key === resetKey ? state : { key: resetKey, selected: new Set<string>(), anchor: null };
  if (current !== state) setState(current);

  const toggle = useCallback(
    (id: string, { range = false }: { range?: boolean } = {}) =>
      setState((s) => {
        const base = s.key === resetKey ? s : { key: resetKey, selected: new Set<string>(), anchor: null };
        const next = new Set(base.selected);
        const on = !next.has(id);
        const from = range && base.anchor ? ids.indexOf(base.anchor) : -1;
        const to = ids.indexOf(id);
        if (from >= 0 && to >= 0) {
          for (const rowId of ids.slice(Math.min(from, to), Math.max(from, to) + 1)) {
            if (on) next.add(rowId);
            else next.delete(rowId);
          }
        } else if (on) next.add(id);
        else next.delete(id);
        return { key: resetKey, selected: next, anchor: id };
      }),
    [ids, resetKey],
  );

  const setAll = useCallback(
    (selected: boolean) => setState({ key: resetKey, selected: selected ? new Set(ids) : new Set(), anchor: null }),
    [ids, resetKey],
  );
  const keep = useCallback(
    (keepIds: readonly string[]) => setState({ key: resetKey, selected: new Set(keepIds), anchor: null }),
    [resetKey],
  );
  const clear = useCallback(() => setState({ key: resetKey, selected: new Set(), anchor: null }), [resetKey]);

  return {
    ids: ids.filter((id) => current.selected.has(id)),
    isSelected: (id) => current.selected.has(id),
    toggle,
    setAll,
    keep,
    clear,
  };
}
