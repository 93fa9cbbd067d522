import type { ReactNode } from 'react';
import type { Authenticator } from './api';

export function ErrorNotice({ error, what }: { error: Error | undefined; what: string }) {
  if (!error) return null;
  return (
    <p className="notice notice-error" role="alert">
      Could not {what}: {error.message}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function Badge({ tone, children }: { tone: 'good' | 'warn' | 'bad' | 'info' | 'neutral'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** The properties that make an authenticator strong, as a help-desk agent reads them out. */
export function AuthenticatorBadges({ authenticator }: { authenticator: Authenticator }) {
  return (
    <span className="badges">
      {authenticator.status === 'revoked' ? <Badge tone="bad">revoked</Badge> : <Badge tone="good">active</Badge>}
      {authenticator.phishingResistant && <Badge tone="good">phishing-resistant</Badge>}
      {authenticator.hardwareBound && <Badge tone="info">hardware-bound</Badge>}
      {authenticator.syncable && <Badge tone="neutral">synced</Badge>}
    </span>
  );
}

export function Section({ title, id, children, count }: { title: string; id: string; children: ReactNode; count?: number }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>
        {title}
        {count !== undefined && <span className="count"> ({count})</span>}
      </h2>
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted">{children}</p>;
}
