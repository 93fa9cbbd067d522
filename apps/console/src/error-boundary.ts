import { Component, createElement, ErrorInfo, ReactNode } from 'react';

interface Props {
  children?: ReactNode;
}
interface State {
  error: Error | null;
}

/**
 * Whatever a page throws while rendering (a malformed link, an answer of an unexpected shape),
 * the console shows what happened and a way back instead of a blank page.
 */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('console page failed', error, info.componentStack);
  }

  render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return createElement(
      'div',
      { role: 'alert', className: 'error-page' },
      createElement('h2', null, 'This page could not be shown'),
      createElement('p', null, this.state.error.message),
      createElement('a', { href: '#/subjects', onClick: () => this.setState({ error: null }) }, 'Back to the subject search'),
    );
  }
}
