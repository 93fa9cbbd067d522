import { exceptionPosture, toCloudEventLine } from '@ledger/domain';
import { buildPostureReport } from '@ledger/domain/projections';
import { EventStore, readAllPaged, RecordedEvent, StoreVerification, verifyAllStreams } from '@ledger/event-store';
import type { AuthenticationFilter, ReadModelStore } from '@ledger/read-models';
import { ExceptionRegistry, exceptionsForView } from '../../governance/exception-registry';
import type { PolicyHistoryStore, PolicyVersionView } from '../../policy/policy-history.store';
import { within } from '../export-events';
import { ControlDefinition, EVIDENCE_CONTROLS, EVIDENCE_FIGURES, EvidenceDocumentName, FigureDefinition } from './evidence-catalog';

export type FigureValue = number | string | boolean | null;

/** How to reproduce a figure: a GET and what to read in its answer, or arithmetic over other figures. */
export type EvidenceQuery =
  | { href: string; pointer: string }
  | { href: string; countLines: { types: string[]; where?: Record<string, string | number | boolean>; present?: string[] } }
  | { sumOf: string[] }
  | { ratioOf: { numerator: string[]; denominator: string[] } };

export interface EvidenceFigure {
  id: string;
  label: string;
  value: FigureValue;
  query: EvidenceQuery;
}

export interface EvidenceControl extends Omit<ControlDefinition, 'figures'> {
  figures: EvidenceFigure[];
}

export interface EvidenceReport {
  title: string;
  generatedAt: string;
  /** Inclusive bounds on when the counted facts happened; figures marked "now" are current state. */
  window: { from: string | null; to: string };
  /** The last global position the event counts and the chain verification cover; the read models include at least it. */
  position: number;
  controls: EvidenceControl[];
  /** Every figure once, those that only feed a ratio or a sum included. */
  figures: EvidenceFigure[];
  /**
   * What was decided and judged under approved exceptions, per application,
   * counted in the same pass as the event figures: the lines of `href` with
   * `data.verdict = "excepted"`, or with `data.exception` on a decision, by `data.applicationId`.
   */
  underExceptions: {
    href: string;
    applications: Array<{ applicationId: string; exceptedVerdicts: number; decisionsAllowed: number; stepUpsOffered: number }>;
  };
  /**
   * The policy in force now and how its session limits stand against SP 800-63B-4
   * §2.1.3, §2.2.3 and §2.3.3: what the publisher acknowledged, and what the document holds.
   */
  policy: {
    href: string;
    version: number;
    acknowledgedDeviations: readonly string[];
    deviations: PolicyVersionView['deviations'];
  };
}

/** What the report reads: the same store, read models and policy the audit queries answer from. */
export interface EvidenceSources {
  store: EventStore;
  readModels: ReadModelStore;
  policies: PolicyHistoryStore;
  /** Exceptions are folded from the store, as `GET /v1/posture` folds them. */
  exceptions: ExceptionRegistry;
  /** Resolves once the read models include `position`, as `?minPosition` does. */
  readModelsAt(position: number): Promise<void>;
}

export interface EvidenceRequest {
  from?: string;
  to?: string;
  now: Date;
  /** The position reached while scanning the store, and the head the scan runs to. */
  onProgress?(position: number, head: number): void;
}

/** Resolves an RFC 6901 JSON pointer; missing members read as null. */
export function readPointer(document: unknown, pointer: string): FigureValue {
  let value: unknown = document;
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value === undefined ? null : (value as FigureValue);
}

/** Whether one CloudEvent line of the JSONL export counts toward an event figure. */
export function lineMatches(
  line: { type?: unknown; data?: unknown },
  rule: { types: string[]; where?: Record<string, unknown>; present?: string[] },
): boolean {
  if (!rule.types.includes(String(line.type))) return false;
  const data = (line.data ?? {}) as Record<string, unknown>;
  return (
    Object.entries(rule.where ?? {}).every(([field, value]) => data[field] === value) &&
    (rule.present ?? []).every((field) => data[field] !== undefined && data[field] !== null)
  );
}

function queryString(parameters: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) search.set(name, String(value));
  return search.toString();
}

/**
 * Builds the evidence report. Figures about events come from one pass over
 * the store up to its head (which also verifies every hash chain), counted
 * exactly as the JSONL export's window selects events; figures about
 * authentications and the current estate come from the read models once they
 * include that head; the policy from its stream. Each figure cites the audit
 * query that gives the same number.
 */
export async function buildEvidenceReport(sources: EvidenceSources, request: EvidenceRequest): Promise<EvidenceReport> {
  const to = request.to ?? request.now.toISOString();
  const from = request.from;
  const window = { from: from === undefined ? undefined : new Date(from), to: new Date(to) };
  const head = await sources.store.headPosition();
  if (head >= 0) await sources.readModelsAt(head);

  const eventRules = EVIDENCE_FIGURES.flatMap((figure) =>
    'events' in figure.source ? [{ id: figure.id, rule: figure.source.events }] : [],
  );
  const eventCounts = new Map(eventRules.map(({ id }) => [id, 0]));
  const underExceptions = new Map<string, EvidenceReport['underExceptions']['applications'][number]>();
  const countUnderException = (line: { type?: unknown; data?: unknown }) => {
    const data = (line.data ?? {}) as Record<string, unknown>;
    const excepted = line.type === 'assurance.authentication.evaluated' && data.verdict === 'excepted';
    const decided = line.type === 'assurance.access.decided' && data.exception !== undefined && data.exception !== null;
    if (!excepted && !decided) return;
    const applicationId = String(data.applicationId);
    const counts = underExceptions.get(applicationId) ?? { applicationId, exceptedVerdicts: 0, decisionsAllowed: 0, stepUpsOffered: 0 };
    if (excepted) counts.exceptedVerdicts += 1;
    else if (data.decision === 'allow') counts.decisionsAllowed += 1;
    else if (data.decision === 'step-up') counts.stepUpsOffered += 1;
    underExceptions.set(applicationId, counts);
  };
  async function* countedUpToHead(events: AsyncIterable<RecordedEvent>): AsyncGenerator<RecordedEvent> {
    for await (const event of events) {
      if (event.position > head) return;
      request.onProgress?.(event.position, head);
      if (within(event, window.from, window.to)) {
        const line = toCloudEventLine(event);
        for (const { id, rule } of eventRules) if (lineMatches(line, rule)) eventCounts.set(id, eventCounts.get(id)! + 1);
        countUnderException(line);
      }
      yield event;
    }
  }
  const verification: StoreVerification = await verifyAllStreams(countedUpToHead(readAllPaged(sources.store)));

  const posture = await sources.readModels.posture({}, request.now);
  const policyInForce = await sources.policies.version();
  const { catalog: exceptions } = await exceptionsForView(sources.exceptions);
  const documents: Record<EvidenceDocumentName, { href: string; value: unknown }> = {
    posture: {
      href: `/v1/posture?${queryString({ minPosition: head >= 0 ? head : undefined })}`,
      value: {
        ...buildPostureReport({ window: { from: null, to: null }, ...posture.value }),
        exceptions: exceptionPosture(exceptions, request.now.getTime()),
      },
    },
    verify: { href: '/v1/audit/verify', value: verification },
    policy: { href: '/v1/policy', value: policyInForce },
  };

  const windowParameters = { from, to };
  const figures = new Map<string, EvidenceFigure>();
  const valueOf = (id: string) => {
    const figure = figures.get(id);
    if (!figure) throw new Error(`evidence figure ${id} is used before it is defined`);
    return Number(figure.value ?? 0);
  };
  for (const definition of EVIDENCE_FIGURES) figures.set(definition.id, await figureOf(definition));

  async function figureOf({ id, label, source }: FigureDefinition): Promise<EvidenceFigure> {
    if ('authentications' in source) {
      const filter: AuthenticationFilter = {
        ...source.authentications,
        ...(from !== undefined && { from: window.from!.toISOString() }),
        to: window.to.toISOString(),
      };
      const { value } = await sources.readModels.countAuthentications(filter);
      const parameters = { ...source.authentications, ...windowParameters, minPosition: head >= 0 ? head : undefined };
      return { id, label, value, query: { href: `/v1/audit/authentications/count?${queryString(parameters)}`, pointer: '/count' } };
    }
    if ('events' in source) {
      return {
        id,
        label,
        value: eventCounts.get(id)!,
        query: { href: `/v1/audit/export?${queryString({ format: 'jsonl', ...windowParameters })}`, countLines: source.events },
      };
    }
    if ('document' in source) {
      const document = documents[source.document];
      return { id, label, value: readPointer(document.value, source.pointer), query: { href: document.href, pointer: source.pointer } };
    }
    if ('sumOf' in source)
      return { id, label, value: source.sumOf.reduce((sum, other) => sum + valueOf(other), 0), query: { sumOf: source.sumOf } };
    const numerator = source.ratioOf.numerator.reduce((sum, other) => sum + valueOf(other), 0);
    const denominator = source.ratioOf.denominator.reduce((sum, other) => sum + valueOf(other), 0);
    return { id, label, value: denominator === 0 ? null : numerator / denominator, query: { ratioOf: source.ratioOf } };
  }

  return {
    title: 'Assurance Ledger evidence report',
    generatedAt: request.now.toISOString(),
    window: { from: from ?? null, to },
    position: head,
    controls: EVIDENCE_CONTROLS.map(({ figures: ids, ...control }) => ({ ...control, figures: ids.map((id) => figures.get(id)!) })),
    figures: [...figures.values()],
    underExceptions: {
      href: `/v1/audit/export?${queryString({ format: 'jsonl', ...windowParameters })}`,
      applications: [...underExceptions.values()].sort((a, b) => a.applicationId.localeCompare(b.applicationId)),
    },
    policy: {
      href: '/v1/policy',
      version: policyInForce.version,
      acknowledgedDeviations: policyInForce.acknowledgedDeviations,
      deviations: policyInForce.deviations,
    },
  };
}

function formatValue(figure: EvidenceFigure): string {
  const { value } = figure;
  if (value === null) return 'n/a';
  if (typeof value === 'boolean') return value ? 'yes' : '**no**';
  if (typeof value === 'number' && 'ratioOf' in figure.query) return `${(value * 100).toFixed(1)} %`;
  if (typeof value === 'number' && figure.id.endsWith('-share')) return `${(value * 100).toFixed(1)} %`;
  return String(value);
}

function describeQuery(query: EvidenceQuery): string {
  if ('pointer' in query) return `\`GET ${query.href}\` → \`${query.pointer}\``;
  if ('countLines' in query) {
    const conditions = [
      `type ${query.countLines.types.join(' or ')}`,
      ...Object.entries(query.countLines.where ?? {}).map(([field, value]) => `data.${field} = ${JSON.stringify(value)}`),
      ...(query.countLines.present ?? []).map((field) => `data.${field} present`),
    ];
    return `\`GET ${query.href}\` → lines with ${conditions.join(', ')}`;
  }
  if ('sumOf' in query) return `sum of ${query.sumOf.map((id) => `\`${id}\``).join(' + ')}`;
  return `(${query.ratioOf.numerator.map((id) => `\`${id}\``).join(' + ')}) / (${query.ratioOf.denominator.map((id) => `\`${id}\``).join(' + ')})`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The report as Markdown: one section per control, one table row per figure, each with its query. */
export function renderEvidenceMarkdown(report: EvidenceReport): string {
  const lines = [
    `# ${report.title}`,
    '',
    `Window: ${report.window.from ?? 'the first event'} to ${report.window.to} (inclusive, when the facts happened). Figures marked "now" are the state at the report's time.`,
    `Generated ${report.generatedAt}, covering the store up to global position ${report.position}.`,
    'Every figure names the audit query that reproduces it; pass `minPosition` as given so the read models include the same events.',
  ];
  for (const framework of [...new Set(report.controls.map((control) => control.framework))]) {
    lines.push('', `## ${framework}`);
    for (const control of report.controls.filter((candidate) => candidate.framework === framework)) {
      lines.push('', `### ${control.id} ${control.title}`, '', control.evidence);
      if (!control.applies || control.figures.length === 0) continue;
      lines.push('', '| figure | value | query |', '|---|---|---|');
      for (const figure of control.figures)
        lines.push(`| ${cell(figure.label)} (\`${figure.id}\`) | ${formatValue(figure)} | ${cell(describeQuery(figure.query))} |`);
    }
  }
  lines.push(
    '',
    '## All figures',
    '',
    'Figures that only feed a ratio or a sum appear here too.',
    '',
    '| id | value | query |',
    '|---|---|---|',
  );
  for (const figure of report.figures) lines.push(`| \`${figure.id}\` | ${formatValue(figure)} | ${cell(describeQuery(figure.query))} |`);
  const { underExceptions } = report;
  lines.push(
    '',
    '## Under approved exceptions, per application',
    '',
    `Lines of \`GET ${underExceptions.href}\`: verdicts with \`data.verdict = "excepted"\`, and decisions with \`data.exception\` present, by \`data.applicationId\`.`,
    '',
  );
  if (underExceptions.applications.length === 0) lines.push('Nothing was judged or decided under an exception in the window.');
  else {
    lines.push('| application | excepted verdicts | decisions allowed | step-ups offered its methods |', '|---|---|---|---|');
    for (const app of underExceptions.applications)
      lines.push(`| ${cell(app.applicationId)} | ${app.exceptedVerdicts} | ${app.decisionsAllowed} | ${app.stepUpsOffered} |`);
  }
  const { policy } = report;
  lines.push('', '## Session limits against SP 800-63B-4', '', `Policy version ${policy.version} (\`GET ${policy.href}\`).`, '');
  if (policy.deviations.length === 0) lines.push('Every session limit is within what SP 800-63B-4 requires and recommends.');
  else {
    lines.push('| field | value (s) | limit (s) | clause | acknowledged |', '|---|---|---|---|---|');
    for (const deviation of policy.deviations) {
      const acknowledged = policy.acknowledgedDeviations.includes(deviation.field) ? 'yes' : '**no**';
      lines.push(
        `| \`${deviation.field}\` | ${deviation.valueSeconds ?? 'none'} | ${deviation.limitSeconds} | ${deviation.strength} ${deviation.clause} | ${acknowledged} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
