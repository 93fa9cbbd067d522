import { useEffect, useState } from 'react';

/**
 * Hash routes (`#/subjects/emp-0000001`): the server serves one page and
 * never sees the subject a help-desk agent looks at in its access log.
 */
export type Route = { page: 'search'; prefix: string } | { page: 'subject'; subjectId: string } | { page: 'reviews' } | { page: 'posture' };

/** A path segment as written; a malformed escape (`%`, `%E0%A4`) is kept as text rather than thrown. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The query, or none when it does not decode: a crafted link must not blank the page. */
function queryParam(query: string, name: string): string {
  try {
    return new URLSearchParams(query).get(name) ?? '';
  } catch {
    return '';
  }
}

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeSegment);
  if (parts[0] === 'subjects' && parts[1]) return { page: 'subject', subjectId: parts[1] };
  if (parts[0] === 'reviews') return { page: 'reviews' };
  if (parts[0] === 'posture') return { page: 'posture' };
  return { page: 'search', prefix: queryParam(query, 'prefix') };
}

export const hrefs = {
  search: (prefix = '') => (prefix ? `#/subjects?prefix=${encodeURIComponent(prefix)}` : '#/subjects'),
  subject: (subjectId: string) => `#/subjects/${encodeURIComponent(subjectId)}`,
  reviews: () => '#/reviews',
  posture: () => '#/posture',
};

/** The page's window, typed here so that this module also compiles (and is tested) outside a browser. */
interface HashWindow {
  location: { hash: string };
  addEventListener(type: 'hashchange', listener: () => void): void;
  removeEventListener(type: 'hashchange', listener: () => void): void;
}
const page = () => (globalThis as unknown as { window: HashWindow }).window;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(page().location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(page().location.hash));
    page().addEventListener('hashchange', onChange);
    return () => page().removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
