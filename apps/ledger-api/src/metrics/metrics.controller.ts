import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../access/roles';
import { Registry } from 'prom-client';
import { LedgerMetrics } from './ledger-metrics';

/**
 * Prometheus scrapes without a key, as it does every other service: the
 * figures are counts, never subjects or keys. Keep `/metrics` off the public
 * edge (the reverse proxy in docker-compose refuses it) and scrape each
 * process directly.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: LedgerMetrics) {}

  @Get()
  @Header('content-type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('cache-control', 'no-store')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
