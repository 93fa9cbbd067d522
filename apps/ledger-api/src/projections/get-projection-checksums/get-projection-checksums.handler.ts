import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { READ_MODEL_STORE, ReadModelStore } from '@ledger/read-models';
import { ReadConsistency } from '../read-consistency';
import { GetProjectionChecksumsQuery, ProjectionChecksums } from './get-projection-checksums.query';

@QueryHandler(GetProjectionChecksumsQuery)
export class GetProjectionChecksumsHandler implements IQueryHandler<GetProjectionChecksumsQuery, ProjectionChecksums> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly consistency: ReadConsistency,
  ) {}

  async execute({ minPosition }: GetProjectionChecksumsQuery): Promise<ProjectionChecksums> {
    await this.consistency.ensure(minPosition);
    const { position, value } = await this.readModels.checksums();
    return { position, checksums: value };
  }
}
