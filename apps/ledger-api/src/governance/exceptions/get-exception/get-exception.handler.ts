import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@ledger/core';
import { ExceptionRegistry } from '@ledger/core';
import { exceptionView, ExceptionView } from '../exception-view';
import { GetExceptionQuery } from './get-exception.query';

@QueryHandler(GetExceptionQuery)
export class GetExceptionHandler implements IQueryHandler<GetExceptionQuery, ExceptionView> {
  constructor(private readonly registry: ExceptionRegistry) {}

  async execute({ exceptionId }: GetExceptionQuery): Promise<ExceptionView> {
    const { catalog } = await this.registry.current();
    const summary = catalog.exceptions.get(exceptionId);
    if (!summary) throw new NotFoundError(`no exception ${exceptionId}`);
    return exceptionView(summary);
  }
}
