import { DownloadIcon, UploadIcon } from '../../../components/icons';
import { errorMessage } from '../../../lib/api-client';
import { plural } from '../../../lib/format';
import { toast } from '../../../lib/toast';
import { useExportData } from '../api/export-data';
import { useAccountStats } from '../api/get-account-stats';
import { useImportData } from '../api/import-data';
import { ImportFromApp } from './import-from-app';

export function DataSection() {
  const stats = useAccountStats();
  const exporter = useExportData();
  const importer = useImportData({
    onSuccess: (result) =>
      toast.success(
        result.notes || result.todos
          ? `Imported ${plural(result.notes, 'note')} and ${plural(result.todos, 'todo')}.`
          : 'Nothing new to import: everything in this file is already here.',
      ),
  });

  return (
    <section className="card card-section" aria-labelledby="data-title">
      <h2 id="data-title" className="card-title">
        Your data
      </h2>
      <p className="card-lead">
        {stats.data
          ? `${plural(stats.data.notes.total, 'note')} (${stats.data.notes.archived} archived, ${stats.data.notes.trashed} in the trash) and ${plural(stats.data.todos.total, 'todo')}. `
          : ''}
        Download everything, or bring in a file exported before (importing the same file twice adds nothing twice).
      </p>
      <div className="data-actions">
        <button type="button" className="btn btn-secondary" onClick={() => exporter.mutate('json')} disabled={exporter.isPending}>
          <DownloadIcon />
          Export JSON
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => exporter.mutate('markdown')} disabled={exporter.isPending}>
          <DownloadIcon />
          Export Markdown (.zip)
        </button>
        <label className={`btn btn-secondary file-button${importer.isPending ? ' is-busy' : ''}`}>
          <UploadIcon />
          {importer.isPending ? 'Importing…' : 'Import JSON…'}
          <input
            type="file"
            accept="application/json,.json"
            disabled={importer.isPending}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) importer.mutate(file);
            }}
          />
        </label>
      </div>
      {importer.isError && (
        <p className="form-error" role="alert" style={{ marginTop: 12 }}>
          Import failed: {errorMessage(importer.error)}
        </p>
      )}
      <ImportFromApp />
    </section>
  );
}
