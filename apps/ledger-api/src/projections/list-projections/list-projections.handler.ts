import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ProjectionLagProbe } from '../projection-lag';
import { ListProjectionsQuery, ProjectionsOverview } from './list-projections.query';

export { LAG_COUNT_LIMIT } from '../projection-lag';

@QueryHandler(ListProjectionsQuery)
export class ListProjectionsHandler implements IQueryHandler<ListProjectionsQuery, ProjectionsOverview> {
  constructor(private readonly lag: ProjectionLagProbe) {}

  async execute(): Promise<ProjectionsOverview> {
    return { projections: await this.lag.projections() };
  }
}
