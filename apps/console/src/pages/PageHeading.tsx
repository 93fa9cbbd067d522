import { useEffect, useRef, type ReactNode } from 'react';

/** Each page's heading takes focus when the page opens, so a screen reader announces where the user is. */
export function PageHeading({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    document.title = `${heading.current?.textContent ?? ''} · Assurance Ledger`;
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function NotAllowed({ what }: { what: string }) {
  return (
    <>
      <PageHeading>Not available</PageHeading>
      <p>Your key's roles do not allow {what}.</p>
    </>
  );
}
