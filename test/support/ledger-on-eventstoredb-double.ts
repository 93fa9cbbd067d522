import { EventStoreDbDouble, startEventStoreDbDouble } from '../eventstoredb-double';
import { RunningLedger, startLedger } from './ledger-test-app';

export interface LedgerOnEventStoreDbDouble {
  double: EventStoreDbDouble;
  ledger: RunningLedger;
  stop(): Promise<void>;
}

/**
 * The ledger on its EventStoreDB adapter, over real gRPC to the in-repo double.
 * A 2 s call deadline lets an outage (the double stopped) show within a test.
 */
export async function startLedgerOnEventStoreDbDouble(): Promise<LedgerOnEventStoreDbDouble> {
  const double = await startEventStoreDbDouble({ batchAppend: true });
  const ledger = await startLedger({
    LEDGER_STORE: 'eventstoredb',
    EVENTSTORE_CONNECTION_STRING: `${double.connectionString}&defaultDeadline=2000`,
  });
  return {
    double,
    ledger,
    stop: async () => {
      await ledger.stop();
      await double.stop();
    },
  };
}
