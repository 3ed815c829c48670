import { MAX_BODY_BYTES } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';

export interface ImportResult {
  notes: number;
  todos: number;
}

/** Reads an exported JSON file and sends it; importing the same file twice creates nothing new. */
export async function importData(file: File): Promise<ImportResult> {
  if (file.size > MAX_BODY_BYTES)
    throw new Error(`The file is larger than ${Math.round(MAX_BODY_BYTES / 1024)} KB, the most one import takes.`);
  let document: unknown;
  try {
    document = JSON.parse(await file.text());
  } catch {
    throw new Error('This file is not JSON. Choose a file made by “Export JSON”.');
  }
  return api.post<ImportResult>('/api/users/me/import', document);
}

export function useImportData({ onSuccess }: { onSuccess?: (result: ImportResult) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importData,
    meta: { silent: true },
    onSuccess: (result) => {
      // New notes and todos everywhere: refetch whatever is cached.
      void queryClient.invalidateQueries();
      onSuccess?.(result);
    },
  });
}
