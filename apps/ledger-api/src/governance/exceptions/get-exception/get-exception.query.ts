import { Query } from '@nestjs/cqrs';
import { ExceptionView } from '../exception-view';

export class GetExceptionQuery extends Query<ExceptionView> {
  constructor(readonly exceptionId: string) {
    super();
  }
}
