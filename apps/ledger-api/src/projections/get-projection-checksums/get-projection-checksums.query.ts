import { Query } from '@nestjs/cqrs';

export interface ProjectionChecksums {
  /** The checkpoint the checksums were taken at. */
  position: number;
  checksums: Record<string, string>;
}

export class GetProjectionChecksumsQuery extends Query<ProjectionChecksums> {
  constructor(readonly minPosition: number | undefined) {
    super();
  }
}
