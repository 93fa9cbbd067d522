import { Query } from '@nestjs/cqrs';
import { ExceptionFilter } from '@ledger/domain';
import { ExceptionView } from '../exception-view';

export interface ExceptionList {
  /** The store position the list reflects. */
  position: number;
  exceptions: ExceptionView[];
}

export class ListExceptionsQuery extends Query<ExceptionList> {
  constructor(readonly filter: ExceptionFilter) {
    super();
  }
}
