import type { ImportFromAppResponse, ImportSource } from '@micronote/contracts';
import { NOTE_LIMITS } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';

/** What the SPA tells about each app it imports from, what it creates (notes or todos), and how the file is sent. */
export const IMPORT_APPS: Record<
  ImportSource,
  { label: string; file: string; accept: string; contentType: string; creates: 'note' | 'todo' }
> = {
  keep: {
    label: 'Google Keep',
    file: 'the Takeout .zip of Keep',
    accept: '.zip,application/zip',
    contentType: 'application/zip',
    creates: 'note',
  },
  enex: {
    label: 'Evernote',
    file: 'an .enex export',
    accept: '.enex,application/xml,text/xml',
    contentType: 'application/xml',
    creates: 'note',
  },
  markdown: {
    label: 'Markdown files',
    file: 'a .zip of .md files',
    accept: '.zip,application/zip',
    contentType: 'application/zip',
    creates: 'note',
  },
  // A project's CSV export or a backup .zip of them: the gateway tells them apart by their bytes.
  todoist: {
    label: 'Todoist',
    file: 'a project’s .csv export (or a backup .zip)',
    accept: '.csv,text/csv,.zip,application/zip',
    contentType: 'application/octet-stream',
    creates: 'todo',
  },
};

export const IMPORT_MAX_MIB = NOTE_LIMITS.importFile.maxBytes / 1024 / 1024;

export interface ImportFromAppInput {
  source: ImportSource;
  file: File;
}

/** Sends another app's file as it is; importing the same file twice creates nothing twice. */
export function importFromApp({ source, file }: ImportFromAppInput): Promise<ImportFromAppResponse> {
  if (file.size > NOTE_LIMITS.importFile.maxBytes) {
    return Promise.reject(new Error(`The file is larger than ${IMPORT_MAX_MIB} MiB, the most one import takes.`));
  }
  return api.post<ImportFromAppResponse>('/api/users/me/import', undefined, {
    query: { from: source },
    upload: file,
    contentType: IMPORT_APPS[source].contentType,
  });
}

export function useImportFromApp({ onSuccess }: { onSuccess?: (result: ImportFromAppResponse) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importFromApp,
    meta: { silent: true },
    onSuccess: (result) => {
      // New notes or todos everywhere (lists, tags, categories, stats): refetch whatever is cached.
      if (result.notes > 0 || result.todos > 0) void queryClient.invalidateQueries();
      onSuccess?.(result);
    },
  });
}
