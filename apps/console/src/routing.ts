import { useEffect, useState } from 'react';

/**
 * Hash routes (`#/subjects/emp-0000001`): the server serves one page and
 * never sees the subject a help-desk agent looks at in its access log.
 */
export type Route = { page: 'search'; prefix: string } | { page: 'subject'; subjectId: string } | { page: 'reviews' } | { page: 'posture' };

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'subjects' && parts[1]) return { page: 'subject', subjectId: parts[1] };
  if (parts[0] === 'reviews') return { page: 'reviews' };
  if (parts[0] === 'posture') return { page: 'posture' };
  return { page: 'search', prefix: new URLSearchParams(query).get('prefix') ?? '' };
}

export const hrefs = {
  search: (prefix = '') => (prefix ? `#/subjects?prefix=${encodeURIComponent(prefix)}` : '#/subjects'),
  subject: (subjectId: string) => `#/subjects/${encodeURIComponent(subjectId)}`,
  reviews: () => '#/reviews',
  posture: () => '#/posture',
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
