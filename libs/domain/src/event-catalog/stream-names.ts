/**
 * Stream names follow the `category-id` convention (Message DB, EventStoreDB's
 * `$ce-` projections, Emmett): the category is everything before the first dash,
 * so categories cannot contain one while ids may.
 */

export const SUBJECT_CATEGORY = 'subject';

export interface ParsedStreamName {
  category: string;
  id: string;
}

export class InvalidStreamNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStreamNameError';
  }
}

export function streamName(category: string, id: string): string {
  if (category.length === 0 || category.includes('-')) {
    throw new InvalidStreamNameError(`stream category must be non-empty and contain no "-": "${category}"`);
  }
  if (id.length === 0) {
    throw new InvalidStreamNameError(`stream id must be non-empty (category "${category}")`);
  }
  return `${category}-${id}`;
}

export function subjectStream(subjectId: string): string {
  return streamName(SUBJECT_CATEGORY, subjectId);
}

export function parseStreamName(name: string): ParsedStreamName {
  const separator = name.indexOf('-');
  if (separator <= 0 || separator === name.length - 1) {
    throw new InvalidStreamNameError(`"${name}" is not a category-id stream name`);
  }
  return { category: name.slice(0, separator), id: name.slice(separator + 1) };
}

export const StreamNames = { streamName, subjectStream, parseStreamName } as const;
