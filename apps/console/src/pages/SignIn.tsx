import { FormEvent, useState } from 'react';
import { api, Principal, storeKey } from '../api';

/** The key is asked once and kept in this tab's session storage only: closing the tab signs out. */
export function SignIn({ message, onSignedIn }: { message?: string; onSignedIn: (principal: Principal) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>(message);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) return setError('enter your API key');
    setBusy(true);
    try {
      const principal = await api<Principal>('/v1/whoami', { key: trimmed });
      storeKey(trimmed);
      onSignedIn(principal);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>Assurance Ledger console</h1>
      <form onSubmit={submit} className="card" aria-describedby="sign-in-help">
        <p id="sign-in-help">Sign in with your API key. It stays in this browser tab until you sign out or close the tab.</p>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          autoFocus
          spellCheck={false}
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'sign-in-error' : undefined}
          required
        />
        {error && (
          <p id="sign-in-error" className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
