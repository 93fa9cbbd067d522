import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { listExceptions } from '@ledger/domain';
import { ExceptionRegistry } from '@ledger/core';
import { exceptionView } from '../exception-view';
import { ExceptionList, ListExceptionsQuery } from './list-exceptions.query';

@QueryHandler(ListExceptionsQuery)
export class ListExceptionsHandler implements IQueryHandler<ListExceptionsQuery, ExceptionList> {
  constructor(private readonly registry: ExceptionRegistry) {}

  async execute({ filter }: ListExceptionsQuery): Promise<ExceptionList> {
    const { catalog, position } = await this.registry.current();
    const now = Date.now();
    return { position, exceptions: listExceptions(catalog, filter).map((summary) => exceptionView(summary, now)) };
  }
}
