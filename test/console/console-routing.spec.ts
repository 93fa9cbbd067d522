import { isValidElement, ReactElement } from 'react';
import { ErrorBoundary } from '../../apps/console/src/error-boundary';
import { hrefs, parseRoute } from '../../apps/console/src/routing';

describe('console: hash routes from crafted links (D12)', () => {
  it('does not throw on malformed percent-encoding, and keeps the segment as text', () => {
    expect(parseRoute('#/subjects/%')).toEqual({ page: 'subject', subjectId: '%' });
    expect(parseRoute('#/subjects/%E0%A4%A')).toEqual({ page: 'subject', subjectId: '%E0%A4%A' });
    expect(parseRoute('#/subjects/%ED%A0%80')).toEqual({ page: 'subject', subjectId: '%ED%A0%80' });
    expect(parseRoute('#/subjects?prefix=%')).toEqual({ page: 'search', prefix: '%' });
  });

  it('still decodes well-formed links both ways', () => {
    expect(parseRoute(hrefs.subject('emp:1@corp+x'))).toEqual({ page: 'subject', subjectId: 'emp:1@corp+x' });
    expect(parseRoute(hrefs.search('emp 0'))).toEqual({ page: 'search', prefix: 'emp 0' });
    expect(parseRoute('#/reviews')).toEqual({ page: 'reviews' });
  });

  it('shows an error with a way back instead of a blank page when a page throws', () => {
    const boundary = new ErrorBoundary({ children: 'page' });
    expect(boundary.render()).toBe('page');
    boundary.state = ErrorBoundary.getDerivedStateFromError(new URIError('URI malformed'));
    const shown = boundary.render() as ReactElement<{ role: string; children: ReactElement<{ children: string }>[] }>;
    expect(isValidElement(shown)).toBe(true);
    expect(shown.props.role).toBe('alert');
    expect(shown.props.children.map((child) => child.props.children)).toContain('URI malformed');
  });
});
