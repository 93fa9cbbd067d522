import { InvalidQueryError } from '@ledger/core';

/** Cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): string[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === arity && key.every((part) => typeof part === 'string')) return key;
  } catch {
    /* reported below */
  }
  throw new InvalidQueryError('cursor', 'must be a nextCursor returned by this endpoint');
}
