import { FormEvent, useEffect, useState } from 'react';
import { api, CAN, hasAnyRole, Principal, SubjectListing } from '../api';
import { Badge, Empty, ErrorNotice, Loading } from '../components';
import { formatTime } from '../format';
import { hrefs } from '../routing';
import { NotAllowed, PageHeading } from './PageHeading';

interface SearchPage {
  subjects: SubjectListing[];
  nextCursor: string | null;
}

const PAGE_SIZE = 25;

export function SubjectSearch({ principal, prefix }: { principal: Principal; prefix: string }) {
  const [draft, setDraft] = useState(prefix);
  const [results, setResults] = useState<SubjectListing[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(false);
  const allowed = hasAnyRole(principal, CAN.searchSubjects);

  async function load(cursor: string | null) {
    setLoading(true);
    setError(undefined);
    try {
      const query = new URLSearchParams({ prefix, limit: String(PAGE_SIZE), ...(cursor && { cursor }) });
      const page = await api<SearchPage>(`/v1/subjects?${query}`);
      setResults((previous) => (cursor ? [...previous, ...page.subjects] : page.subjects));
      setNextCursor(page.nextCursor);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    setDraft(prefix);
    if (allowed) void load(null);
  }, [prefix, allowed]);

  if (!allowed) return <NotAllowed what="searching subjects" />;

  function submit(event: FormEvent) {
    event.preventDefault();
    window.location.hash = hrefs.search(draft.trim());
  }

  return (
    <>
      <PageHeading>Subjects</PageHeading>
      <form role="search" onSubmit={submit} className="search-form">
        <label htmlFor="subject-prefix">Subject id starts with</label>
        <input
          id="subject-prefix"
          name="prefix"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit">Search</button>
      </form>
      <ErrorNotice error={error} what="search subjects" />
      {loading && results.length === 0 ? (
        <Loading what="subjects" />
      ) : results.length === 0 && !error ? (
        <Empty>No subject id starts with “{prefix}”.</Empty>
      ) : (
        <table className="data" aria-label="Matching subjects">
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Posture</th>
              <th scope="col">Highest AAL</th>
              <th scope="col">Last event</th>
            </tr>
          </thead>
          <tbody>
            {results.map((subject) => (
              <tr key={subject.subjectId}>
                <th scope="row">
                  <a href={hrefs.subject(subject.subjectId)}>{subject.subjectId}</a>
                </th>
                <td>
                  <span className="badges">
                    {subject.passwordless ? <Badge tone="good">passwordless</Badge> : <Badge tone="warn">uses a password or OTP</Badge>}
                    {subject.phishingResistantCapable && <Badge tone="good">phishing-resistant</Badge>}
                  </span>
                </td>
                <td>AAL{subject.highestAal}</td>
                <td>{formatTime(subject.lastEventAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextCursor && (
        <button type="button" className="secondary" onClick={() => load(nextCursor)} disabled={loading}>
          Show more
        </button>
      )}
    </>
  );
}
