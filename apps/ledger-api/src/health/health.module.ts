import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ReadModelsModule } from '../projections/read-models.module';
import { HealthController } from './health.controller';

@Module({
  // Probes fail often and on purpose during an outage; the 503 answer says why, so terminus need not log it too.
  imports: [TerminusModule.forRoot({ logger: false }), ReadModelsModule],
  controllers: [HealthController],
})
export class HealthModule {}
