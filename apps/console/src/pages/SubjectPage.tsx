import { api, ApiError, CAN, describeScope, ExceptionRecord, hasAnyRole, Principal, segment, SubjectEvent, SubjectState } from '../api';
import { AuthenticatorBadges, Badge, Empty, ErrorNotice, Loading, Section } from '../components';
import { eventLabel, formatAge, formatTime } from '../format';
import { useLoad } from '../hooks';
import { hrefs } from '../routing';
import { NotAllowed, PageHeading } from './PageHeading';

const TIMELINE_LENGTH = 30;
/** A subject's stream is read forward; this many pages reach the end of any history the console is meant for. */
const MAX_EVENT_PAGES = 20;

/** The newest events of a subject: the stream is read forward, page by page, keeping the tail. */
async function recentEvents(subjectId: string): Promise<SubjectEvent[]> {
  let tail: SubjectEvent[] = [];
  let fromRevision: number | null = 0;
  for (let page = 0; fromRevision !== null && page < MAX_EVENT_PAGES; page++) {
    const answer: { events: SubjectEvent[]; nextRevision: number | null } = await api(
      `/v1/subjects/${segment(subjectId)}/events?fromRevision=${fromRevision}&limit=1000`,
    );
    tail = [...tail, ...answer.events].slice(-TIMELINE_LENGTH);
    fromRevision = answer.nextRevision;
  }
  return tail.reverse();
}

/**
 * Requests for this subject still awaiting a decision; the approved exceptions that apply come with
 * the subject. A key that may not list exceptions (403) sees the section say so instead of failing the page.
 */
async function requestedExceptions(subjectId: string): Promise<ExceptionRecord[] | 'unavailable'> {
  try {
    return (await api<{ exceptions: ExceptionRecord[] }>(`/v1/exceptions?status=requested&subjectId=${encodeURIComponent(subjectId)}`))
      .exceptions;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return 'unavailable';
    throw error;
  }
}

export function SubjectPage({ principal, subjectId }: { principal: Principal; subjectId: string }) {
  const state = useLoad(() => api<SubjectState>(`/v1/subjects/${segment(subjectId)}`), [subjectId]);
  const canReadEvents = hasAnyRole(principal, CAN.readSubjectEvents);
  const events = useLoad(() => (canReadEvents ? recentEvents(subjectId) : Promise.resolve([])), [subjectId, canReadEvents]);
  const requested = useLoad(() => requestedExceptions(subjectId), [subjectId]);

  if (!hasAnyRole(principal, CAN.searchSubjects)) return <NotAllowed what="reading subjects" />;

  const subject = state.data;
  return (
    <>
      <p className="breadcrumb">
        <a href={hrefs.search()}>Subjects</a> /
      </p>
      <PageHeading>{subjectId}</PageHeading>
      {state.loading && !subject && <Loading what="the subject" />}
      <ErrorNotice error={state.error} what="load this subject" />
      {subject && (
        <>
          <p className="badges summary" aria-label="Posture">
            {subject.summary.passwordless ? <Badge tone="good">passwordless</Badge> : <Badge tone="warn">uses a password or OTP</Badge>}
            {subject.summary.phishingResistantCapable ? (
              <Badge tone="good">phishing-resistant capable</Badge>
            ) : (
              <Badge tone="warn">no phishing-resistant authenticator</Badge>
            )}
            <Badge tone="info">can reach AAL{subject.summary.highestAal}</Badge>
            {subject.breakglassUses > 0 && <Badge tone="bad">break-glass used {subject.breakglassUses}×</Badge>}
            <span className="muted">
              First event {formatTime(subject.firstEventAt)} · last {formatTime(subject.lastEventAt)}
            </span>
          </p>
          <div className="grid">
            <Proofing subject={subject} />
            <Devices subject={subject} />
          </div>
          <Authenticators subject={subject} />
          <LastAuthentications subject={subject} />
          <Sessions subject={subject} />
          <div className="grid">
            <OpenCases subject={subject} />
            <Exceptions applying={subject.activeExceptions} requested={requested.data} error={requested.error} />
          </div>
          <Recoveries subject={subject} />
        </>
      )}
      {canReadEvents && subject && (
        <Section title="Recent events" id="timeline">
          {events.loading && !events.data && <Loading what="events" />}
          <ErrorNotice error={events.error} what="load the events" />
          {events.data && (
            <ol className="timeline" aria-label={`The ${events.data.length} most recent events, newest first`}>
              {events.data.map((event) => (
                <li key={event.revision}>
                  <time dateTime={event.time}>{formatTime(event.time)}</time>
                  <span className="event-type">{eventLabel(event.type)}</span>
                  <span className="muted">
                    {describeEvent(event)} · #{event.revision}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Section>
      )}
    </>
  );
}

function describeEvent(event: SubjectEvent): string {
  const data = event.data;
  const parts = [data.applicationId, data.channel, data.kind, data.authenticatorId, data.method, data.verdict, data.reason]
    .filter((value) => typeof value === 'string' || typeof value === 'number')
    .slice(0, 3);
  return parts.length > 0 ? parts.join(' · ') : event.source;
}

function Proofing({ subject }: { subject: SubjectState }) {
  const proofing = subject.identityProofing;
  return (
    <Section title="Identity proofing" id="proofing">
      {proofing ? (
        <dl className="facts">
          <dt>Level</dt>
          <dd>IAL{proofing.ial}</dd>
          <dt>Method</dt>
          <dd>{proofing.method}</dd>
          <dt>Evidence</dt>
          <dd>{proofing.evidence.join(', ') || '—'}</dd>
          <dt>Proofed by</dt>
          <dd>{proofing.proofedBy}</dd>
          <dt>When</dt>
          <dd>{formatTime(proofing.proofedAt)}</dd>
        </dl>
      ) : (
        <Empty>No identity proofing recorded.</Empty>
      )}
    </Section>
  );
}

function Devices({ subject }: { subject: SubjectState }) {
  return (
    <Section title="Devices" id="devices" count={subject.devices.length}>
      {subject.devices.length === 0 ? (
        <Empty>No bound device.</Empty>
      ) : (
        <ul className="plain">
          {subject.devices.map((device) => (
            <li key={device.deviceId}>
              <strong>{device.deviceId}</strong> <span className="muted">{device.platform}</span>{' '}
              <span className="badges">
                {device.managed ? <Badge tone="info">managed</Badge> : <Badge tone="neutral">unmanaged</Badge>}
                {device.compliant ? <Badge tone="good">compliant</Badge> : <Badge tone="bad">not compliant</Badge>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Authenticators({ subject }: { subject: SubjectState }) {
  const active = subject.authenticators.filter((authenticator) => authenticator.status === 'active').length;
  return (
    <Section title="Authenticators" id="authenticators" count={subject.authenticators.length}>
      <p className="muted">
        {active} active, {subject.authenticators.length - active} revoked.
      </p>
      {subject.authenticators.length === 0 ? (
        <Empty>No authenticator was ever enrolled.</Empty>
      ) : (
        <table className="data" aria-label="Authenticators" data-testid="authenticators">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Id</th>
              <th scope="col">Properties</th>
              <th scope="col">Enrolled</th>
              <th scope="col">Revoked</th>
            </tr>
          </thead>
          <tbody>
            {subject.authenticators.map((authenticator) => (
              <tr key={authenticator.authenticatorId} className={authenticator.status === 'revoked' ? 'revoked' : undefined}>
                <th scope="row">{authenticator.kind}</th>
                <td className="mono">{authenticator.authenticatorId}</td>
                <td>
                  <AuthenticatorBadges authenticator={authenticator} />
                </td>
                <td>{formatTime(authenticator.enrolledAt)}</td>
                <td>
                  {authenticator.revokedAt
                    ? `${formatTime(authenticator.revokedAt)}${authenticator.revocationReason ? ` — ${authenticator.revocationReason}` : ''}`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function LastAuthentications({ subject }: { subject: SubjectState }) {
  return (
    <Section title="Last authentication per channel" id="last-authentications">
      {subject.lastAuthentications.length === 0 ? (
        <Empty>No authentication recorded.</Empty>
      ) : (
        <table className="data" aria-label="Last authentication per channel">
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Application</th>
              <th scope="col">When</th>
              <th scope="col">Outcome</th>
              <th scope="col">Methods</th>
              <th scope="col">AAL achieved / required</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {subject.lastAuthentications.map((authentication) => (
              <tr key={authentication.channel}>
                <th scope="row">{authentication.channel}</th>
                <td>{authentication.applicationId}</td>
                <td>{formatTime(authentication.at)}</td>
                <td>
                  {authentication.outcome === 'succeeded' ? <Badge tone="good">succeeded</Badge> : <Badge tone="bad">failed</Badge>}
                  {authentication.failureReason && <span className="muted"> {authentication.failureReason}</span>}
                </td>
                <td>{authentication.methods.map((method) => method.kind).join(' + ') || '—'}</td>
                <td>
                  {authentication.achievedAal === null ? '—' : `AAL${authentication.achievedAal}`} /{' '}
                  {authentication.requiredAal === null ? '—' : `AAL${authentication.requiredAal}`}
                </td>
                <td>
                  {authentication.verdict === 'compliant' && <Badge tone="good">compliant</Badge>}
                  {authentication.verdict === 'violation' && <Badge tone="bad">violation</Badge>}
                  {authentication.verdict === 'excepted' && <Badge tone="warn">excepted</Badge>}
                  {authentication.verdict === null && <span className="muted">none</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function Sessions({ subject }: { subject: SubjectState }) {
  return (
    <Section title="Active sessions" id="sessions" count={subject.activeSessions.length}>
      {subject.activeSessions.length === 0 ? (
        <Empty>No active session.</Empty>
      ) : (
        <table className="data" aria-label="Active sessions">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Channel</th>
              <th scope="col">Application</th>
              <th scope="col">AAL</th>
              <th scope="col">Started</th>
              <th scope="col">Last activity</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {subject.activeSessions.map((session) => (
              <tr key={session.sessionId}>
                <th scope="row" className="mono">
                  {session.sessionId}
                </th>
                <td>{session.channel}</td>
                <td>{session.applicationId}</td>
                <td>{session.achievedAal === null ? '—' : `AAL${session.achievedAal}`}</td>
                <td>{formatTime(session.startedAt)}</td>
                <td>{formatTime(session.lastActivityAt)}</td>
                <td>{formatTime(session.expiresAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function OpenCases({ subject }: { subject: SubjectState }) {
  return (
    <Section title="Open cases" id="open-cases" count={subject.openReviewItems.length}>
      {subject.openReviewItems.length === 0 ? (
        <Empty>No open case.</Empty>
      ) : (
        <ul className="plain">
          {subject.openReviewItems.map((item) => (
            <li key={item.itemId}>
              <Badge tone="warn">{item.kind}</Badge> {item.applicationId ?? item.channel ?? ''}{' '}
              <span className="muted">
                {formatTime(item.occurredAt)} ({formatAge(item.occurredAt)} old)
              </span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

/** The approved exceptions that apply to the subject (its own, then its applications' and channels'), and its pending requests. */
function Exceptions({
  applying,
  requested,
  error,
}: {
  applying: ExceptionRecord[];
  requested: ExceptionRecord[] | 'unavailable' | undefined;
  error: Error | undefined;
}) {
  const listed = [...applying, ...(Array.isArray(requested) ? requested : [])];
  return (
    <Section title="Exceptions" id="exceptions" count={listed.length}>
      <ErrorNotice error={error} what="load exception requests" />
      {requested === 'unavailable' && <Empty>Pending exception requests are not available to this key.</Empty>}
      {listed.length === 0 && <Empty>No exception applies, and none is requested.</Empty>}
      {listed.length > 0 && (
        <ul className="plain">
          {listed.map((exception) => (
            <li key={exception.exceptionId} data-exception-id={exception.exceptionId}>
              <Badge tone={exception.status === 'approved' ? 'info' : 'warn'}>{exception.status}</Badge> {describeScope(exception)}{' '}
              <span className="muted">
                allows {exception.allowedMethods.join(', ')} · {exception.justification}
                {exception.expiresAt && ` · ${exception.status === 'approved' ? 'ends' : 'would end'} ${formatTime(exception.expiresAt)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Recoveries({ subject }: { subject: SubjectState }) {
  if (subject.recentRecoveries.length === 0) return null;
  return (
    <Section title="Recent recoveries" id="recoveries" count={subject.recentRecoveries.length}>
      <ul className="plain">
        {subject.recentRecoveries.map((recovery, index) => (
          <li key={`${recovery.at}-${index}`}>
            <Badge tone={recovery.phase === 'failed' ? 'bad' : recovery.phase === 'completed' ? 'good' : 'warn'}>{recovery.phase}</Badge>{' '}
            {recovery.method}{' '}
            <span className="muted">
              verified by {recovery.verifiedBy} · {formatTime(recovery.at)}
              {recovery.ticketId && ` · ticket ${recovery.ticketId}`}
            </span>
          </li>
        ))}
      </ul>
    </Section>
  );
}
