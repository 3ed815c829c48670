import type { ImportSource } from '@micronote/contracts';
import { IMPORT_SOURCES } from '@micronote/contracts';
import type { FormEvent } from 'react';
import { useId, useRef, useState } from 'react';

import { UploadIcon } from '../../../components/icons';
import { errorMessage } from '../../../lib/api-client';
import { plural } from '../../../lib/format';
import { IMPORT_APPS, IMPORT_MAX_MIB, useImportFromApp } from '../api/import-from-app';

const sizeOf = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** "Import from other apps": pick the app, pick its file, upload, then what came in and what was left out. */
export function ImportFromApp() {
  const id = useId();
  const [source, setSource] = useState<ImportSource>('keep');
  const [file, setFile] = useState<File | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const importer = useImportFromApp();
  const app = IMPORT_APPS[source];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file) importer.mutate({ source, file });
  };

  return (
    <form className="import-apps" aria-labelledby={`${id}-title`} onSubmit={submit}>
      <h3 id={`${id}-title`} className="import-apps-title">
        Import from other apps
      </h3>
      <fieldset className="import-apps-sources" disabled={importer.isPending}>
        <legend>From</legend>
        {IMPORT_SOURCES.map((value) => (
          <label key={value} className="import-apps-source">
            <input
              type="radio"
              name={`${id}-source`}
              value={value}
              checked={source === value}
              onChange={() => {
                setSource(value);
                setFile(null);
                importer.reset();
                if (input.current) input.current.value = '';
              }}
            />
            {IMPORT_APPS[value].label}
          </label>
        ))}
      </fieldset>
      <label className="import-apps-file" htmlFor={`${id}-file`}>
        File: {app.file} (at most {IMPORT_MAX_MIB} MiB)
      </label>
      <input
        ref={input}
        id={`${id}-file`}
        type="file"
        accept={app.accept}
        disabled={importer.isPending}
        onChange={(e) => {
          setFile(e.target.files?.[0] ?? null);
          importer.reset();
        }}
      />
      <div className="data-actions">
        <button type="submit" className="btn btn-secondary" disabled={!file || importer.isPending}>
          <UploadIcon />
          {importer.isPending ? 'Importing…' : `Import from ${app.label}`}
        </button>
      </div>
      <div role="status" aria-live="polite">
        {importer.isPending && file && (
          <p className="import-apps-progress">
            <progress aria-label={`Uploading and importing ${file.name}`} />
            Uploading and importing {file.name} ({sizeOf(file.size)})…
          </p>
        )}
        {importer.isSuccess && (
          <div className="import-apps-result">
            <p>
              {plural(app.creates === 'todo' ? importer.data.todos : importer.data.notes, app.creates)} imported, {importer.data.skipped}{' '}
              skipped
              {importer.data.notes + importer.data.todos === 0 && importer.data.skipped > 0
                ? ' (already here: importing the same file again adds nothing).'
                : '.'}
            </p>
            {importer.data.warnings && importer.data.warnings.length > 0 && (
              <ul className="import-apps-warnings" aria-label="Import warnings">
                {importer.data.warnings.map((warning, index) => (
                  <li key={index}>{warning}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      {importer.isError && (
        <p className="form-error" role="alert">
          Import failed: {errorMessage(importer.error)}
        </p>
      )}
    </form>
  );
}
