import type { Channel } from '../event-catalog';
import { AuthenticationEvaluatedData, LEDGER_EVENT_TYPES } from '../ledger-events';
import { occurredAtOf, StoredEventFacts, toSubjectEvent } from './projected-event';
import { subjectIdOfStream } from './subject-projection';

export const AUTHENTICATION_VERDICTS = ['compliant', 'violation', 'excepted', 'unevaluated'] as const;
export type AuthenticationVerdictFilter = (typeof AUTHENTICATION_VERDICTS)[number];

/** A method as the emitter reported it: what was presented, and its RFC 8176 values. */
export interface MethodPresented {
  kind: string;
  authenticatorId?: string;
  amr: string[];
}

/** What the authentications read model keeps of a verdict, in this order (its checksum reads the stored JSON). */
const EVALUATION_FIELDS = [
  'amr',
  'acr',
  'achievedAal',
  'requiredAal',
  'phishingResistant',
  'verdict',
  'reasons',
  'policyVersion',
  'decisionPath',
  'assuranceRulesVersion',
  'restricted',
  'restrictedReason',
  'exception',
] as const satisfies readonly (keyof AuthenticationEvaluatedData)[];

/** The ledger's verdict on one authentication, as its `assurance.authentication.evaluated` event carries it. */
export type AuthenticationEvaluation = Pick<AuthenticationEvaluatedData, (typeof EVALUATION_FIELDS)[number]> & {
  /** Where the verdict is stored: right after the authentication in the same stream. */
  source: { revision: number; position: number };
};

/** The verdict's fields that the read model keeps; a field the verdict's rules version did not write stays absent. */
function evaluationFields(verdict: AuthenticationEvaluatedData): Pick<AuthenticationEvaluatedData, (typeof EVALUATION_FIELDS)[number]> {
  return Object.fromEntries(
    EVALUATION_FIELDS.filter((field) => verdict[field] !== undefined).map((field) => [field, verdict[field]]),
  ) as Pick<AuthenticationEvaluatedData, (typeof EVALUATION_FIELDS)[number]>;
}

/** One successful authentication: who, when, to what, by what, and (once judged) under which policy. */
export interface AuthenticationRecord {
  subjectId: string;
  occurredAt: string;
  applicationId: string;
  channel: Channel;
  methods: MethodPresented[];
  sessionId: string | null;
  /** The `assurance.authentication.succeeded` event itself. */
  source: { stream: string; revision: number; position: number };
  /** null until the ledger's verdict on it is applied. */
  evaluation: AuthenticationEvaluation | null;
}

/** A verdict for an authentication that was already committed; only the first verdict counts. */
export interface AuthenticationEvaluated {
  stream: string;
  revision: number;
  evaluation: AuthenticationEvaluation;
}

export type AuthenticationRecordChange = { recorded: AuthenticationRecord } | { evaluated: AuthenticationEvaluated };

/** The key an authentication is found by when its verdict arrives. */
export function authenticationKey(stream: string, revision: number): string {
  return `${stream}@${revision}`;
}

/**
 * What one stored event changes in the authentications read model: a new row
 * for each successful authentication, its verdict for each evaluation, and
 * nothing for any other event.
 */
export function authenticationRecordChangeOf(event: StoredEventFacts): AuthenticationRecordChange | undefined {
  if (event.type !== 'assurance.authentication.succeeded' && event.type !== LEDGER_EVENT_TYPES.authenticationEvaluated) return undefined;
  const subjectId = subjectIdOfStream(event.streamId);
  const upcast = subjectId === undefined ? undefined : toSubjectEvent(event);
  if (!upcast) return undefined;
  if (event.type === 'assurance.authentication.succeeded') {
    const data = upcast.data as { applicationId: string; channel: Channel; methods: MethodPresented[]; sessionId?: string };
    return {
      recorded: {
        subjectId: subjectId!,
        occurredAt: occurredAtOf(event),
        applicationId: data.applicationId,
        channel: data.channel,
        methods: data.methods.map(({ kind, authenticatorId, amr }) => ({
          kind,
          ...(authenticatorId !== undefined && { authenticatorId }),
          amr,
        })),
        sessionId: data.sessionId ?? null,
        source: { stream: event.streamId, revision: event.revision, position: event.position },
        evaluation: null,
      },
    };
  }
  const verdict = upcast.data as AuthenticationEvaluatedData;
  return {
    evaluated: {
      stream: event.streamId,
      revision: verdict.authentication.revision,
      evaluation: {
        ...evaluationFields(verdict),
        source: { revision: event.revision, position: event.position },
      },
    },
  };
}
