import { Module } from '@nestjs/common';

/** Read models built from the store's subscription: subject state, review queue, posture. */
@Module({})
export class ProjectionsModule {}
