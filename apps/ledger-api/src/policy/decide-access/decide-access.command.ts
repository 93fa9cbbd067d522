import { WriteContext } from '@ledger/core';
import { Command } from '@nestjs/cqrs';
import { AccessDecidedData, AccessRequest } from '@ledger/domain';

export type DecisionAnswer = Omit<AccessDecidedData, 'context' | 'decidedAt' | 'applicationId' | 'channel' | 'sessionId'> & {
  subjectId: string;
  decidedAt: string;
  stream: string;
  revision: number;
  position: number;
  /** True when an Idempotency-Key matched a decision already recorded. */
  replayed: boolean;
};

export class DecideAccessCommand extends Command<DecisionAnswer> {
  constructor(
    readonly subjectId: string,
    readonly request: AccessRequest,
    readonly decisionId: string,
    /** Server clock at the boundary. */
    readonly now: string,
    readonly context: WriteContext,
    /** Digest of the request, when an Idempotency-Key names it: a replay must ask the same. */
    readonly requestDigest?: string,
  ) {
    super();
  }
}
