import { useMutation } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';

export type ExportFormat = 'json' | 'markdown';

/** The whole account as a file: JSON (importable again) or a zip of Markdown files. */
export const exportData = (format: ExportFormat): Promise<Blob> =>
  api.get<Blob>('/api/users/me/export', { query: { format: format === 'markdown' ? 'markdown' : undefined }, responseType: 'blob' });

/** Hands a blob to the browser as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useExportData() {
  return useMutation({
    mutationFn: exportData,
    onSuccess: (blob, format) => {
      const day = new Date().toISOString().slice(0, 10);
      saveBlob(blob, `micronote-${day}.${format === 'markdown' ? 'zip' : 'json'}`);
    },
  });
}
