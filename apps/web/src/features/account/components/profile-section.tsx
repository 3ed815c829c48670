import type { User } from '@micronote/contracts';
import { USER_LIMITS } from '@micronote/contracts';
import { useState } from 'react';

import { ErrorState, SkeletonList } from '../../../components/states';
import { TextField } from '../../../components/text-field';
import { ApiError, errorMessage } from '../../../lib/api-client';
import { useMe } from '../../../lib/auth';
import { toast } from '../../../lib/toast';
import { useUpdateProfile } from '../api/update-profile';

const FIELDS = ['name', 'email', 'username'] as const;
type Field = (typeof FIELDS)[number];

export function ProfileSection() {
  const me = useMe();
  return (
    <section className="card card-section" aria-labelledby="profile-title">
      <h2 id="profile-title" className="card-title">
        Profile
      </h2>
      <p className="card-lead">How you appear and how you sign in.</p>
      {me.data ? (
        // Re-created when the profile changes elsewhere (another tab), so the fields show it.
        <ProfileForm key={me.data.updatedAt} user={me.data} />
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : (
        <SkeletonList rows={3} label="Loading profile" />
      )}
    </section>
  );
}

function ProfileForm({ user }: { user: User }) {
  const [values, setValues] = useState<Record<Field, string>>({ name: user.name, email: user.email, username: user.username });
  const update = useUpdateProfile({ onSuccess: () => toast.success('Profile saved') });
  const sorted =
    update.error instanceof ApiError && (update.error.status === 400 || update.error.status === 409)
      ? update.error.fieldErrors(FIELDS, { EMAIL_TAKEN: 'email', USERNAME_TAKEN: 'username' })
      : null;
  const formError = update.error && !sorted ? errorMessage(update.error) : sorted?.other.join(' ');
  const changed = FIELDS.filter((f) => values[f].trim() !== user[f]);

  const field = (name: Field) => ({
    name,
    value: values[name],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value })),
    error: sorted?.fields[name],
  });

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate(Object.fromEntries(changed.map((f) => [f, values[f].trim()])));
      }}
    >
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <TextField label="Name" autoComplete="name" maxLength={USER_LIMITS.name.max} {...field('name')} />
      <TextField label="Email" type="email" autoComplete="email" maxLength={USER_LIMITS.email.max} {...field('email')} />
      <TextField
        label="Username"
        autoComplete="username"
        maxLength={USER_LIMITS.username.max}
        hint="3–20 letters, digits or underscores."
        {...field('username')}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={update.isPending || changed.length === 0}>
          {update.isPending ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}
