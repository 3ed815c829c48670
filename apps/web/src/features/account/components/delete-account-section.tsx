import { ErrorCode } from '@micronote/contracts';
import { useState } from 'react';

import { ConfirmDialog } from '../../../components/confirm-dialog';
import { TextField } from '../../../components/text-field';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { useDeleteAccount } from '../api/delete-account';

export function DeleteAccountSection() {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const remove = useDeleteAccount();
  const error =
    remove.error instanceof ApiError && (remove.error.code === ErrorCode.WrongPassword || remove.error.status === 403)
      ? 'That password is not right.'
      : remove.error
        ? errorMessage(remove.error)
        : undefined;

  return (
    <section className="card card-section danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title" className="card-title">
        Delete account
      </h2>
      <p className="card-lead">
        Your profile, notes, todos and sessions are deleted for good. Export your data first if you want to keep it.
      </p>
      <button type="button" className="btn btn-danger" onClick={() => setOpen(true)}>
        Delete my account…
      </button>
      <ConfirmDialog
        open={open}
        title="Delete your account?"
        confirmLabel={remove.isPending ? 'Deleting…' : 'Delete everything'}
        danger
        busy={remove.isPending || !password}
        onCancel={() => {
          setOpen(false);
          setPassword('');
          remove.reset();
        }}
        onConfirm={() => remove.mutate({ password })}
      >
        <p>This cannot be undone. Enter your password to confirm.</p>
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error}
        />
      </ConfirmDialog>
    </section>
  );
}
