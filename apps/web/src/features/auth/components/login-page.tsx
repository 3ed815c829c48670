import { useState } from 'react';
import { Link, useLocation } from 'react-router-dom';

import { TextField } from '../../../components/text-field';
import { ApiError, errorMessage } from '../../../lib/api-client';
import type { SignOutReason } from '../../../lib/session';
import { useSession } from '../../../lib/session';
import { useLoginUser } from '../api/login-user';
import { AuthLayout } from './auth-layout';

const REASONS: Record<SignOutReason, string> = {
  logout: 'You are signed out.',
  expired: 'Your session has ended. Please sign in again.',
  deleted: 'Your account and all its data were deleted.',
  elsewhere: 'You signed out in another tab.',
};

export function LoginPage() {
  const location = useLocation();
  const { reason } = useSession();
  const [values, setValues] = useState({ login: '', password: '' });
  const login = useLoginUser();

  const apiError =
    login.error instanceof ApiError && login.error.status === 400 ? login.error.fieldErrors(['login', 'password'] as const) : null;
  // A wrong login or password is one message for both (the API does not say which).
  const formError = login.error && !apiError ? errorMessage(login.error) : apiError?.other.join(' ');

  return (
    <AuthLayout
      title="Sign in"
      footer={
        <>
          New here?{' '}
          <Link to="/register" state={location.state}>
            Create an account
          </Link>
        </>
      }
    >
      {reason && !login.isPending && !login.error && (
        <p className="notice" role="status">
          {REASONS[reason]}
        </p>
      )}
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          login.mutate({ login: values.login.trim(), password: values.password });
        }}
      >
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <TextField
          label="Username or email"
          name="login"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={values.login}
          onChange={(e) => setValues((v) => ({ ...v, login: e.target.value }))}
          error={apiError?.fields.login}
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={values.password}
          onChange={(e) => setValues((v) => ({ ...v, password: e.target.value }))}
          error={apiError?.fields.password}
          required
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthLayout>
  );
}
