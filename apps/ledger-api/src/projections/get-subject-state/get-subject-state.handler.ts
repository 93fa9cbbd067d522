import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { UNRESOLVED_REVIEW_STATUSES } from '@ledger/domain/projections';
import { READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { exceptionsApplyingTo } from '@ledger/domain';
import { ExceptionRegistry, exceptionsForView } from '@ledger/core';
import { exceptionView, ExceptionView } from '../../governance/exceptions/exception-view';
import { NotFoundError } from '@ledger/core';
import { ReadConsistency } from '../read-consistency';
import { GetSubjectStateQuery } from './get-subject-state.query';
import { SubjectStateView, toSubjectStateView } from '@ledger/core';

/** A subject with more open items than this is shown the oldest ones; the queue has them all. */
const OPEN_ITEMS_SHOWN = 100;

@QueryHandler(GetSubjectStateQuery)
export class GetSubjectStateHandler implements IQueryHandler<
  GetSubjectStateQuery,
  SubjectStateView & { activeExceptions: ExceptionView[] }
> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly consistency: ReadConsistency,
    private readonly exceptions: ExceptionRegistry,
  ) {}

  async execute({ subjectId, minPosition }: GetSubjectStateQuery): Promise<SubjectStateView & { activeExceptions: ExceptionView[] }> {
    await this.consistency.ensure(minPosition);
    const { position, value: document } = await this.readModels.getSubject(subjectId);
    if (!document) throw new NotFoundError(`subject ${subjectId} is unknown to the read models at position ${position}`);
    const { value: openItems } = await this.readModels.listReviewItems({
      status: UNRESOLVED_REVIEW_STATUSES,
      subjectId,
      order: 'oldest-first',
      limit: OPEN_ITEMS_SHOWN,
    });
    const { value: openCaseCount } = await this.readModels.countReviewItems({ status: UNRESOLVED_REVIEW_STATUSES, subjectId });
    const now = new Date();
    // Read from the store, not the read models: an exception approved a moment ago already shows.
    const { catalog } = await exceptionsForView(this.exceptions);
    const activeExceptions = exceptionsApplyingTo(catalog, subjectId, now.getTime()).map((summary) =>
      exceptionView(summary, now.getTime()),
    );
    return { ...toSubjectStateView(document, position, openItems, openCaseCount, now), activeExceptions };
  }
}
