import { Module } from '@nestjs/common';

/** The assurance policy: publishing, reading, verdicts and step-up decisions. */
@Module({})
export class PolicyModule {}
