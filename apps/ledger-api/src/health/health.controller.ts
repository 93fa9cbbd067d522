import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@ledger/event-store';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger-config';
import { Public } from '../access/roles';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  /** The process is up. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** The process can serve requests: its event store answers. */
  @Get(['', 'ready'])
  async ready() {
    try {
      await this.store.ping();
      return { status: 'ok', store: this.config.store };
    } catch {
      throw new ServiceUnavailableException({ status: 'unavailable', store: this.config.store });
    }
  }
}
