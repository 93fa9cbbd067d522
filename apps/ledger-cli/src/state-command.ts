import { Command, Option } from 'commander';
import { NotFoundError } from '@ledger/core';
import { PointInTime, SubjectStateAsOf } from '@ledger/core';
import type { SubjectStateView } from '@ledger/core';
import { CliRuntime, integerBetween, rfc3339 } from './cli-runtime';
import { formatTable } from './table';

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

function describeState(view: SubjectStateView, at: string): string {
  const { summary, identityProofing: proofing } = view;
  const parts = [
    `subject ${view.subjectId} (${view.stream}) ${at}: last event at position ${view.lastEventPosition}, ${view.lastEventAt}\n`,
    `passwordless ${yesNo(summary.passwordless)}, phishing-resistant capable ${yesNo(summary.phishingResistantCapable)}, highest AAL ${summary.highestAal}, break-glass uses ${view.breakglassUses}\n`,
    proofing
      ? `identity proofing: IAL${proofing.ial} by ${proofing.method} (${proofing.evidence.join(', ') || 'no evidence listed'}), proofed by ${proofing.proofedBy} at ${proofing.proofedAt ?? '-'}\n`
      : 'identity proofing: none recorded\n',
    '\nauthenticators\n',
    formatTable(
      ['id', 'kind', 'status', 'phishing-resistant', 'hardware-bound', 'enrolled', 'revoked', 'reason'],
      view.authenticators.map((a) => [
        a.authenticatorId,
        a.kind,
        a.status,
        yesNo(a.phishingResistant),
        yesNo(a.hardwareBound),
        a.enrolledAt,
        a.revokedAt,
        a.revocationReason,
      ]),
    ),
  ];
  if (view.lastAuthentications.length > 0) {
    parts.push(
      '\nlast authentication per channel\n',
      formatTable(
        ['channel', 'outcome', 'at', 'application', 'methods', 'aal', 'required', 'verdict', 'policy'],
        view.lastAuthentications.map((a) => [
          a.channel,
          a.outcome,
          a.at,
          a.applicationId,
          a.methods.map((m) => m.kind).join('+'),
          a.achievedAal,
          a.requiredAal,
          a.verdict,
          a.policyVersion,
        ]),
      ),
    );
  }
  if (view.activeSessions.length > 0) {
    parts.push(
      '\nactive sessions\n',
      formatTable(
        ['session', 'channel', 'application', 'started', 'expires', 'aal'],
        view.activeSessions.map((s) => [s.sessionId, s.channel, s.applicationId, s.startedAt, s.expiresAt, s.achievedAal]),
      ),
    );
  }
  if (view.openReviewItems.length > 0) {
    parts.push(
      '\nreview items raised\n',
      formatTable(
        ['item', 'kind', 'occurred', 'application'],
        view.openReviewItems.map((i) => [i.itemId, i.kind, i.occurredAt, i.applicationId]),
      ),
    );
  }
  return parts.join('');
}

/**
 * `ledger state <subject>`: the same replay as `GET /v1/subjects/:id/state`
 * (the same handler, on the store itself): now, as of a time, or at a position.
 */
export function addStateCommand(program: Command, runtime: CliRuntime): void {
  const { context } = runtime;
  program
    .command('state')
    .description("a subject's state replayed from its stream: now, as of a time (--as-of) or at a global position (--at-position)")
    .argument('<subject>', 'subject id')
    .addOption(
      new Option('--as-of <time>', 'state as it was at this RFC 3339 time (the time events happened)')
        .argParser(rfc3339)
        .conflicts('atPosition'),
    )
    .addOption(
      new Option('--at-position <position>', 'state with every event recorded up to this global position').argParser(
        integerBetween(0, Number.MAX_SAFE_INTEGER),
      ),
    )
    .option('--json', 'print the state as JSON')
    .action(async (subject: string, options: { asOf?: string; atPosition?: number; json?: boolean }) => {
      const at: PointInTime =
        options.asOf !== undefined ? { asOf: new Date(options.asOf) } : { atPosition: options.atPosition ?? Number.MAX_SAFE_INTEGER };
      await runtime.withStore(async (store) => {
        let view: SubjectStateView;
        try {
          view = await new SubjectStateAsOf(store).of(subject, at);
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          context.err(`${error.message}\n`);
          context.exitCode = 1;
          return;
        }
        if (options.json) context.out(JSON.stringify(view, null, 2) + '\n');
        else {
          const when =
            options.asOf !== undefined
              ? `as of ${options.asOf}`
              : options.atPosition !== undefined
                ? `at position ${options.atPosition}`
                : 'now';
          context.out(describeState(view, when));
        }
      });
    });
}
