import { InvalidStreamNameError, parseStreamName, streamName, StreamNames, subjectStream } from '@ledger/domain';

describe('stream names', () => {
  it('puts each subject in its own stream of the subject category', () => {
    expect(subjectStream('user-123')).toBe('subject-user-123');
    expect(StreamNames.subjectStream('alice')).toBe('subject-alice');
  });

  it('joins category and id with a dash', () => {
    expect(streamName('authenticator', 'cred-7f3a')).toBe('authenticator-cred-7f3a');
  });

  it('splits at the first dash, so ids may contain dashes', () => {
    expect(parseStreamName('subject-user-123')).toEqual({ category: 'subject', id: 'user-123' });
    expect(parseStreamName(subjectStream('a-b-c'))).toEqual({ category: 'subject', id: 'a-b-c' });
  });

  it.each([
    ['a category with a dash', () => streamName('sub-ject', '1')],
    ['an empty category', () => streamName('', '1')],
    ['an empty id', () => streamName('subject', '')],
    ['a name without a dash', () => parseStreamName('subject')],
    ['a name without a category', () => parseStreamName('-123')],
    ['a name without an id', () => parseStreamName('subject-')],
  ])('refuses %s', (_case, attempt) => {
    expect(attempt).toThrow(InvalidStreamNameError);
  });
});
