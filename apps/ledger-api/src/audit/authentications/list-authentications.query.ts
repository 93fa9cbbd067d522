import { Query } from '@nestjs/cqrs';
import type { RuleFiring } from '@ledger/domain';
import type { MethodPresented } from '@ledger/domain/projections';
import type { AuthenticationFilter } from '@ledger/read-models';

/** One authentication as the auditor reads it: the verdict's fields are null until it is judged. */
export interface AuthenticationView {
  subjectId: string;
  occurredAt: string;
  applicationId: string;
  channel: string;
  sessionId: string | null;
  /** As the emitter reported them. */
  methods: MethodPresented[];
  /** RFC 8176 values the ledger derived from the enrolled authenticators. */
  amr: string[] | null;
  acr: string[] | null;
  achievedAal: number | null;
  requiredAal: number | null;
  phishingResistant: boolean | null;
  verdict: 'compliant' | 'violation' | 'excepted' | 'unevaluated';
  /** The approved exception an `excepted` verdict rests on; null otherwise. */
  exception: { exceptionId: string; expiresAt: string } | null;
  reasons: RuleFiring[];
  policyVersion: number | null;
  decisionPath: RuleFiring[];
  /** The assurance rules version of the verdict: 1 for verdicts recorded before versions were written; null until judged. */
  assuranceRulesVersion: number | null;
  /** SP 800-63B-4 §3.2.9: the level rests on SMS or voice. null until judged, and for version 1 verdicts, which did not say. */
  restricted: boolean | null;
  restrictedReason: string | null;
  /** The `assurance.authentication.succeeded` event. */
  source: { stream: string; revision: number; position: number };
  /** The `assurance.authentication.evaluated` event, null when there is none. */
  verdictSource: { revision: number; position: number } | null;
  /** Both events in the subject's history. */
  sourceHref: string;
}

export interface AuthenticationsPage {
  position: number;
  items: AuthenticationView[];
  nextCursor: string | null;
}

export class ListAuthenticationsQuery extends Query<AuthenticationsPage> {
  constructor(
    readonly filter: AuthenticationFilter,
    readonly limit: number,
    readonly cursor: string | undefined,
    readonly minPosition: number | undefined,
  ) {
    super();
  }
}
