import { FormEvent, useState } from 'react';
import {
  api,
  ApiError,
  CAN,
  CHANNELS,
  describeScope,
  ExceptionRecord,
  hasAnyRole,
  Principal,
  REVIEW_SEVERITIES,
  ReviewItem,
  ReviewStatus,
  ReviewSummary,
  segment,
} from '../api';
import { Badge, Empty, ErrorNotice, Loading, Section } from '../components';
import { formatAge, formatTime } from '../format';
import { useLoad } from '../hooks';
import { hrefs } from '../routing';
import { NotAllowed, PageHeading } from './PageHeading';

const STATUSES: ReviewStatus[] = ['open', 'acknowledged', 'escalated', 'resolved'];
const KINDS = ['fallback', 'policy-violation', 'denied-without-enrolled-method', 'recovery', 'breakglass'];
const OUTCOMES = [
  { value: 'accepted-risk', label: 'Accepted risk' },
  { value: 'remediated', label: 'Remediated' },
  { value: 'false-positive', label: 'False positive' },
];
/** Minimum ages a team filters by: everything, then what has waited a day, a week, a month. */
const AGES = [
  { value: '', label: 'any' },
  { value: '1', label: 'over 1 day' },
  { value: '7', label: 'over 7 days' },
  { value: '30', label: 'over 30 days' },
];
const PAGE_SIZE = 50;
/** The route's largest page. */
const MAX_SHOWN = 500;

/** Writes answer the position they were stored at; reading at least that far shows their effect at once. */
/** A filter over a closed list of values, where the empty value means any of them. */
function AnyOfFilter({
  id,
  label,
  value,
  values,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  values: readonly string[];
  onChange: (value: string) => void;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">any</option>
        {values.map((option) => (
          <option key={option}>{option}</option>
        ))}
      </select>
    </>
  );
}

function positionOf(answer: unknown): number | undefined {
  const position = (answer as { position?: unknown } | undefined)?.position;
  return typeof position === 'number' ? position : undefined;
}

type Editing = { itemId: string; action: 'resolve' | 'escalate' } | undefined;

export function ReviewQueue({ principal }: { principal: Principal }) {
  const [status, setStatus] = useState<ReviewStatus>('open');
  const [kind, setKind] = useState('');
  const [severity, setSeverity] = useState('');
  const [channel, setChannel] = useState('');
  const [minAgeDays, setMinAgeDays] = useState('');
  const [holder, setHolder] = useState<'' | 'me' | 'nobody'>('');
  // The application filter applies when the field is left or submitted, not on every keystroke.
  const [applicationDraft, setApplicationDraft] = useState('');
  const [applicationId, setApplicationId] = useState('');
  const [minPosition, setMinPosition] = useState<number>();
  const [shown, setShown] = useState(PAGE_SIZE);
  const [announcement, setAnnouncement] = useState('');
  const [actionError, setActionError] = useState<Error>();
  const [editing, setEditing] = useState<Editing>();
  const [selected, setSelected] = useState<string[]>([]);
  const canAct = hasAnyRole(principal, CAN.actOnReviews);

  const queue = useLoad(() => {
    const query = new URLSearchParams({
      status,
      limit: String(shown),
      ...(kind && { kind }),
      ...(severity && { severity }),
      ...(channel && { channel }),
      ...(applicationId && { applicationId }),
      ...(minAgeDays && { minAgeDays }),
      ...(holder === 'me' && { assignee: principal.keyName }),
      ...(holder === 'nobody' && { unassigned: 'true' }),
      ...(minPosition !== undefined && { minPosition: String(minPosition) }),
    });
    return api<{ items: ReviewItem[]; nextCursor: string | null }>(`/v1/reviews?${query}`);
  }, [status, kind, severity, channel, applicationId, minAgeDays, holder, minPosition, shown]);
  const summary = useLoad(
    () => api<ReviewSummary>(`/v1/reviews/summary${minPosition !== undefined ? `?minPosition=${minPosition}` : ''}`),
    [minPosition],
  );

  if (!hasAnyRole(principal, CAN.readReviews)) return <NotAllowed what="reading the review queue" />;

  async function act(
    item: ReviewItem,
    action: 'acknowledge' | 'resolve' | 'escalate' | 'take',
    body: Record<string, string>,
    done: string,
  ) {
    setActionError(undefined);
    try {
      const answer = await api(`/v1/reviews/${segment(item.itemId)}/${action}`, { method: 'POST', body });
      setEditing(undefined);
      setAnnouncement(`${done}: ${item.kind} for ${item.subjectId}.`);
      setMinPosition(positionOf(answer));
      queue.reload();
    } catch (error) {
      setActionError(error as Error);
    }
  }

  /** One bulk action over the selected cases: the API records one event per case with one batch id. */
  async function actOnSelected(body: Record<string, unknown>, done: string) {
    setActionError(undefined);
    try {
      const answer = await api<{ recorded: number; refused: number; batchId: string; position: number | null }>('/v1/reviews/bulk', {
        method: 'POST',
        body: { ...body, caseIds: selected },
      });
      setAnnouncement(`${done} ${answer.recorded} cases${answer.refused > 0 ? `, ${answer.refused} refused` : ''}.`);
      setSelected([]);
      if (answer.position !== null) setMinPosition(answer.position);
      queue.reload();
    } catch (error) {
      setActionError(error as Error);
    }
  }

  const toggle = (itemId: string) =>
    setSelected(selected.includes(itemId) ? selected.filter((id) => id !== itemId) : [...selected, itemId]);

  return (
    <>
      <PageHeading>Review queue</PageHeading>
      <ErrorNotice error={summary.error} what="load the queue summary" />
      {summary.data && <QueueSummary summary={summary.data} />}
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplicationId(applicationDraft.trim());
        }}
        aria-label="Filter the queue"
      >
        <label htmlFor="review-status">Status</label>
        <select id="review-status" value={status} onChange={(event) => setStatus(event.target.value as ReviewStatus)}>
          {STATUSES.map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
        <AnyOfFilter id="review-kind" label="Kind" value={kind} values={KINDS} onChange={setKind} />
        <AnyOfFilter id="review-severity" label="Severity" value={severity} values={REVIEW_SEVERITIES} onChange={setSeverity} />
        <AnyOfFilter id="review-channel" label="Channel" value={channel} values={CHANNELS} onChange={setChannel} />
        <label htmlFor="review-application">Application</label>
        <input
          id="review-application"
          value={applicationDraft}
          placeholder="any"
          onChange={(event) => setApplicationDraft(event.target.value)}
          onBlur={() => setApplicationId(applicationDraft.trim())}
        />
        <label htmlFor="review-age">Age</label>
        <select id="review-age" value={minAgeDays} onChange={(event) => setMinAgeDays(event.target.value)}>
          {AGES.map((age) => (
            <option key={age.value} value={age.value}>
              {age.label}
            </option>
          ))}
        </select>
        <label htmlFor="review-assignee">Assignee</label>
        <select id="review-assignee" value={holder} onChange={(event) => setHolder(event.target.value as typeof holder)}>
          <option value="">anyone</option>
          <option value="me">me</option>
          <option value="nobody">nobody</option>
        </select>
      </form>
      <p role="status" className="announcement">
        {announcement}
      </p>
      {canAct && selected.length > 0 && <BulkActionForm count={selected.length} onSubmit={actOnSelected} />}
      <ErrorNotice error={actionError} what="record the action" />
      <ErrorNotice error={queue.error} what="load the queue" />
      {queue.loading && !queue.data && <Loading what="the queue" />}
      {queue.data && queue.data.items.length === 0 && <Empty>No {status} case.</Empty>}
      {queue.data && queue.data.items.length > 0 && (
        <table className="data" aria-label={`${status} cases, most severe first`} data-testid="review-queue">
          <thead>
            <tr>
              {canAct && (
                <th scope="col">
                  <span className="visually-hidden">Select</span>
                </th>
              )}
              <th scope="col">Severity</th>
              <th scope="col">Kind</th>
              <th scope="col">Subject</th>
              <th scope="col">Application</th>
              <th scope="col">Occurred</th>
              <th scope="col">Age and SLA</th>
              <th scope="col">Assignee</th>
              {canAct && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {queue.data.items.map((item) => (
              <tr key={item.itemId} data-item-id={item.itemId}>
                {canAct && (
                  <td>
                    <input
                      type="checkbox"
                      checked={selected.includes(item.itemId)}
                      onChange={() => toggle(item.itemId)}
                      aria-label={`Select ${item.kind} for ${item.subjectId}`}
                      disabled={item.status === 'resolved'}
                    />
                  </td>
                )}
                <td data-testid="severity">
                  {item.severity && (
                    <Badge
                      tone={
                        item.severity === 'critical' || item.severity === 'high' ? 'bad' : item.severity === 'medium' ? 'warn' : 'neutral'
                      }
                    >
                      {item.severity}
                    </Badge>
                  )}
                </td>
                <td>
                  <Badge tone={item.kind === 'breakglass' || item.kind === 'policy-violation' ? 'bad' : 'warn'}>{item.kind}</Badge>
                  {item.occurrences !== undefined && item.occurrences > 1 && (
                    <span className="muted small" title={`last ${item.lastOccurredAt ? formatTime(item.lastOccurredAt) : ''}`}>
                      {' '}
                      ×{item.occurrences}
                    </span>
                  )}
                </td>
                <th scope="row">
                  <a href={hrefs.subject(item.subjectId)}>{item.subjectId}</a>
                </th>
                <td>{[item.applicationId, item.channel].filter(Boolean).join(' · ') || '—'}</td>
                <td>{formatTime(item.occurredAt)}</td>
                <td>
                  {formatAge(item.occurredAt)}
                  {item.slaStatus && (
                    <>
                      {' '}
                      <Badge tone={item.slaStatus === 'overdue' ? 'bad' : 'neutral'}>{item.slaStatus}</Badge>
                    </>
                  )}
                  {item.dueAt && <span className="muted small"> due {formatTime(item.dueAt)}</span>}
                </td>
                <td data-testid="assignee">{item.assignee ?? '—'}</td>
                {canAct && (
                  <td className="actions">
                    {editing?.itemId === item.itemId ? (
                      <ActionForm
                        action={editing.action}
                        item={item}
                        onCancel={() => setEditing(undefined)}
                        onSubmit={(body) => act(item, editing.action, body, editing.action === 'resolve' ? 'Resolved' : 'Escalated')}
                      />
                    ) : (
                      <>
                        {item.status !== 'resolved' && item.assignee !== principal.keyName && (
                          <button
                            type="button"
                            className="secondary"
                            onClick={() => act(item, 'take', {}, 'Taken')}
                            aria-label={`Take ${item.kind} for ${item.subjectId}`}
                          >
                            Take
                          </button>
                        )}
                        {item.status === 'open' && (
                          <button type="button" className="secondary" onClick={() => act(item, 'acknowledge', {}, 'Acknowledged')}>
                            Acknowledge
                          </button>
                        )}
                        {item.status !== 'resolved' && (
                          <>
                            <button
                              type="button"
                              onClick={() => setEditing({ itemId: item.itemId, action: 'resolve' })}
                              aria-label={`Resolve ${item.kind} for ${item.subjectId}`}
                            >
                              Resolve…
                            </button>
                            {item.status !== 'escalated' && (
                              <button
                                type="button"
                                className="secondary"
                                onClick={() => setEditing({ itemId: item.itemId, action: 'escalate' })}
                              >
                                Escalate…
                              </button>
                            )}
                          </>
                        )}
                      </>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {queue.data?.nextCursor && shown < MAX_SHOWN && (
        <button
          type="button"
          className="secondary"
          onClick={() => setShown(Math.min(MAX_SHOWN, shown + PAGE_SIZE))}
          disabled={queue.loading}
        >
          Show {PAGE_SIZE} more
        </button>
      )}
      <ExceptionRequests canAct={canAct} />
    </>
  );
}

/** Acknowledge, resolve with one outcome and note, or escalate with one reason, every selected case. */
function BulkActionForm({ count, onSubmit }: { count: number; onSubmit: (body: Record<string, unknown>, done: string) => Promise<void> }) {
  const [action, setAction] = useState<'acknowledge' | 'resolve' | 'escalate' | 'take'>('resolve');
  const [outcome, setOutcome] = useState(OUTCOMES[0].value);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const note = text.trim();
    if (action === 'resolve') await onSubmit({ action, outcome, note }, 'Resolved');
    else if (action === 'escalate') await onSubmit({ action, reason: note }, 'Escalated');
    else if (action === 'take') await onSubmit({ action }, 'Took');
    else await onSubmit({ action, ...(note && { note }) }, 'Acknowledged');
    setBusy(false);
  }

  return (
    <form onSubmit={submit} className="inline-form bulk-actions" aria-label="Act on the selected cases">
      <strong>{count} selected</strong>
      <label htmlFor="bulk-action">Action</label>
      <select id="bulk-action" value={action} onChange={(event) => setAction(event.target.value as typeof action)}>
        <option value="acknowledge">acknowledge</option>
        <option value="resolve">resolve</option>
        <option value="escalate">escalate</option>
        <option value="take">take</option>
      </select>
      {action === 'resolve' && (
        <>
          <label htmlFor="bulk-outcome">Outcome</label>
          <select id="bulk-outcome" value={outcome} onChange={(event) => setOutcome(event.target.value)}>
            {OUTCOMES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </>
      )}
      {action !== 'take' && (
        <>
          <label htmlFor="bulk-text">{action === 'escalate' ? 'Reason' : 'Note'}</label>
          <input id="bulk-text" value={text} onChange={(event) => setText(event.target.value)} required={action !== 'acknowledge'} />
        </>
      )}
      <button type="submit" disabled={busy}>
        Apply to {count} selected
      </button>
    </form>
  );
}

/** What a team reads before the rows: how much is open and overdue, how severe, and whether it is shrinking. */
function QueueSummary({ summary }: { summary: ReviewSummary }) {
  return (
    <section className="queue-summary" aria-label="Queue summary" data-testid="queue-summary">
      <dl>
        <div>
          <dt>Unresolved</dt>
          <dd data-testid="summary-open">{summary.open}</dd>
        </div>
        <div>
          <dt>Overdue</dt>
          <dd data-testid="summary-overdue">{summary.overdue}</dd>
        </div>
        <div>
          <dt>Oldest</dt>
          <dd>{summary.oldestOpenedAt ? formatAge(summary.oldestOpenedAt) : '—'}</dd>
        </div>
        {REVIEW_SEVERITIES.map((severity) => (
          <div key={severity}>
            <dt>{severity}</dt>
            <dd data-testid={`summary-${severity}`}>
              {summary.bySeverity[severity].open}
              {summary.bySeverity[severity].overdue > 0 && (
                <span className="muted small"> ({summary.bySeverity[severity].overdue} overdue)</span>
              )}
            </dd>
          </div>
        ))}
        <div>
          <dt>Last 7 days</dt>
          <dd data-testid="summary-trend-7">
            +{summary.trend.days7.opened} opened, −{summary.trend.days7.resolved} resolved
          </dd>
        </div>
        <div>
          <dt>Last 30 days</dt>
          <dd data-testid="summary-trend-30">
            +{summary.trend.days30.opened} opened, −{summary.trend.days30.resolved} resolved
          </dd>
        </div>
      </dl>
    </section>
  );
}

function ActionForm({
  action,
  item,
  onSubmit,
  onCancel,
}: {
  action: 'resolve' | 'escalate';
  item: ReviewItem;
  onSubmit: (body: Record<string, string>) => Promise<void>;
  onCancel: () => void;
}) {
  const [outcome, setOutcome] = useState(OUTCOMES[0].value);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const id = `${action}-${item.itemId}`.replace(/[^A-Za-z0-9_-]/g, '_');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    await onSubmit(action === 'resolve' ? { outcome, note: text.trim() } : { reason: text.trim() });
    setBusy(false);
  }

  return (
    <form
      onSubmit={submit}
      className="inline-form"
      aria-label={`${action === 'resolve' ? 'Resolve' : 'Escalate'} ${item.kind} for ${item.subjectId}`}
    >
      {action === 'resolve' && (
        <>
          <label htmlFor={`${id}-outcome`}>Outcome</label>
          <select id={`${id}-outcome`} value={outcome} onChange={(event) => setOutcome(event.target.value)}>
            {OUTCOMES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor={`${id}-text`}>{action === 'resolve' ? 'Note' : 'Reason'}</label>
      <textarea id={`${id}-text`} value={text} onChange={(event) => setText(event.target.value)} required rows={2} autoFocus />
      <div className="buttons">
        <button type="submit" disabled={busy}>
          {action === 'resolve' ? 'Resolve case' : 'Escalate case'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Exception requests waiting for a reviewer; governance adds the routes, so a 404 just hides the list. */
function ExceptionRequests({ canAct }: { canAct: boolean }) {
  const [announcement, setAnnouncement] = useState('');
  const [actionError, setActionError] = useState<Error>();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const requests = useLoad(async () => {
    try {
      return (await api<{ exceptions: ExceptionRecord[] }>('/v1/exceptions?status=requested')).exceptions;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return 'unavailable' as const;
      throw error;
    }
  }, []);

  async function decide(exception: ExceptionRecord, decision: 'approve' | 'reject') {
    const id = exception.exceptionId;
    const text = (notes[id] ?? '').trim();
    setActionError(undefined);
    try {
      await api(`/v1/exceptions/${segment(id)}/${decision}`, {
        method: 'POST',
        body: decision === 'approve' ? { note: text } : { reason: text },
      });
      setAnnouncement(`${decision === 'approve' ? 'Approved' : 'Rejected'} the exception for ${describeScope(exception)}.`);
      requests.reload();
    } catch (error) {
      setActionError(error as Error);
    }
  }

  return (
    <Section title="Exception requests" id="exception-requests" count={Array.isArray(requests.data) ? requests.data.length : undefined}>
      <p role="status" className="announcement">
        {announcement}
      </p>
      <ErrorNotice error={actionError} what="record the decision" />
      <ErrorNotice error={requests.error} what="load exception requests" />
      {requests.data === 'unavailable' && <Empty>Exceptions are not available to this key on this server.</Empty>}
      {Array.isArray(requests.data) && requests.data.length === 0 && <Empty>No exception is waiting for a decision.</Empty>}
      {Array.isArray(requests.data) && requests.data.length > 0 && (
        <ul className="plain">
          {requests.data.map((exception) => {
            const id = exception.exceptionId;
            const fieldId = `exception-note-${id}`.replace(/[^A-Za-z0-9_-]/g, '_');
            return (
              <li key={id} className="exception" data-exception-id={id}>
                <div>
                  <strong>{describeScope(exception)}</strong> {exception.allowedMethods.join(', ')}{' '}
                  <span className="muted">
                    {exception.justification} · requested {exception.requestedBy && `by ${exception.requestedBy} `}
                    {formatTime(exception.requestedAt)}
                    {exception.expiresAt && ` · until ${formatTime(exception.expiresAt)}`}
                  </span>
                </div>
                {canAct && (
                  <div className="inline-form">
                    <label htmlFor={fieldId}>Note or reason</label>
                    <input id={fieldId} value={notes[id] ?? ''} onChange={(event) => setNotes({ ...notes, [id]: event.target.value })} />
                    <button type="button" onClick={() => decide(exception, 'approve')}>
                      Approve
                    </button>
                    <button type="button" className="danger" onClick={() => decide(exception, 'reject')}>
                      Reject
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}
