import { useEffect, useState } from 'react';

import type * as QuickAddParser from './quick-add-parser';

type ParserModule = typeof QuickAddParser;

let loaded: ParserModule | null = null;
let loading: Promise<ParserModule> | null = null;

/** Starts loading the parser chunk (chrono-node with it); one request however many callers. */
export function loadQuickAddParser(): Promise<ParserModule> {
  loading ??= import('./quick-add-parser').then(
    (module) => (loaded = module),
    (error: unknown) => {
      // A failed chunk (offline, a new deploy) is tried again on the next call.
      loading = null;
      throw error;
    },
  );
  return loading;
}

/**
 * The quick add's natural-language parser, loaded on demand (a chunk of its own, out of the first
 * load) once `wanted`; null until it has arrived (or when it cannot), and the quick add works
 * without it meanwhile.
 */
export function useQuickAddParser(wanted: boolean): ParserModule | null {
  const [parser, setParser] = useState<ParserModule | null>(loaded);
  useEffect(() => {
    if (parser || !wanted) return;
    let live = true;
    loadQuickAddParser().then(
      (module) => live && setParser(module),
      // Without the parser the line is plain text, as before it; the next focus tries again.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [parser, wanted]);
  return parser;
}
