import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, CAN, hasAnyRole, Principal, storedKey, storeKey } from './api';
import { hrefs, Route, useRoute } from './routing';
import { SignIn } from './pages/SignIn';
import { SubjectSearch } from './pages/SubjectSearch';
import { SubjectPage } from './pages/SubjectPage';
import { ReviewQueue } from './pages/ReviewQueue';
import { Posture } from './pages/Posture';

type Session = { state: 'checking' } | { state: 'signed-out'; message?: string } | { state: 'signed-in'; principal: Principal };

export function App() {
  const [session, setSession] = useState<Session>(() => (storedKey() ? { state: 'checking' } : { state: 'signed-out' }));
  const route = useRoute();

  // A key kept from earlier in this tab is checked again: it may have been revoked since.
  useEffect(() => {
    if (session.state !== 'checking') return;
    api<Principal>('/v1/whoami').then(
      (principal) => setSession({ state: 'signed-in', principal }),
      (error: Error) => {
        if (error instanceof ApiError && error.status === 401) storeKey(null);
        setSession({ state: 'signed-out', message: error.message });
      },
    );
  }, [session.state]);

  const signOut = useCallback(() => {
    storeKey(null);
    setSession({ state: 'signed-out' });
  }, []);

  if (session.state === 'checking') return <p role="status">Checking your key…</p>;
  if (session.state === 'signed-out') {
    return <SignIn message={session.message} onSignedIn={(principal) => setSession({ state: 'signed-in', principal })} />;
  }
  return <Shell principal={session.principal} route={route} onSignOut={signOut} />;
}

function Shell({ principal, route, onSignOut }: { principal: Principal; route: Route; onSignOut: () => void }) {
  const links = [
    { href: hrefs.search(), label: 'Subjects', pages: ['search', 'subject'], allowed: hasAnyRole(principal, CAN.searchSubjects) },
    { href: hrefs.reviews(), label: 'Review queue', pages: ['reviews'], allowed: hasAnyRole(principal, CAN.readReviews) },
    { href: hrefs.posture(), label: 'Posture', pages: ['posture'], allowed: hasAnyRole(principal, CAN.readPosture) },
  ].filter((link) => link.allowed);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">Assurance Ledger</span>
        <nav aria-label="Console">
          <ul>
            {links.map((link) => (
              <li key={link.href}>
                <a href={link.href} aria-current={link.pages.includes(route.page) ? 'page' : undefined}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            Signed in as <strong data-testid="key-name">{principal.keyName}</strong> ({principal.roles.join(', ')})
          </span>
          <button type="button" className="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page principal={principal} route={route} />
      </main>
    </>
  );
}

function Page({ principal, route }: { principal: Principal; route: Route }) {
  switch (route.page) {
    case 'subject':
      return <SubjectPage key={route.subjectId} principal={principal} subjectId={route.subjectId} />;
    case 'reviews':
      return <ReviewQueue principal={principal} />;
    case 'posture':
      return <Posture principal={principal} />;
    default:
      return <SubjectSearch principal={principal} prefix={route.prefix} />;
  }
}
