import { parseEnv } from './env';

describe(parseEnv.name, () => {
  it('defaults to the page origin for both the API and the socket', () => {
    expect(parseEnv({}, 'https://notes.example')).toEqual({ apiUrl: '', realtimeUrl: 'https://notes.example' });
  });

  it('takes explicit origins and drops trailing slashes', () => {
    expect(parseEnv({ VITE_API_URL: 'http://localhost:8080/' }, 'http://localhost:5173')).toEqual({
      apiUrl: 'http://localhost:8080',
      realtimeUrl: 'http://localhost:8080',
    });
    expect(parseEnv({ VITE_API_URL: '', VITE_REALTIME_URL: 'https://ws.example' }, 'http://x')).toEqual({
      apiUrl: '',
      realtimeUrl: 'https://ws.example',
    });
  });

  it('names the bad variable, never its value', () => {
    expect(() => parseEnv({ VITE_API_URL: 'not a url secret-ish' }, 'http://x')).toThrow(/VITE_API_URL/);
    expect(() => parseEnv({ VITE_API_URL: 'not a url secret-ish' }, 'http://x')).not.toThrow(/secret-ish/);
  });
});

describe('env', () => {
  it('is what the build defined (here: no VITE_ variables, so the same origin as the page)', async () => {
    const { env } = await import('./env');
    expect(env).toEqual({ apiUrl: '', realtimeUrl: window.location.origin });
  });
});
