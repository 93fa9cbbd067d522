import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { InvalidPolicyError, PolicyVersionConflict } from '@ledger/domain';
import { NotFoundError, policyIssues, PolicyHistoryStore, PolicyVersionView } from '@ledger/core';
import { CliRuntime, integerBetween } from './cli-runtime';
import { formatTable } from './table';

const PUBLISHER = /^[A-Za-z0-9][A-Za-z0-9._:@+-]*$/;

function describePolicy(view: PolicyVersionView): string {
  const { policy } = view;
  const header = view.builtIn
    ? `policy version ${view.version} (built in, in force until a version is published)\n`
    : `policy version ${view.version}, in force from ${view.effectiveFrom}${view.publishedBy ? `, published by ${view.publishedBy}` : ''}\n`;
  const sessions = Object.entries(policy.sessions).map(([level, limits]) => [
    level,
    limits.maxLifetimeSeconds,
    limits.idleTimeoutSeconds ?? 'none',
  ]);
  return [
    header,
    '\nrequired AAL by channel\n',
    formatTable(['channel', 'required aal'], Object.entries(policy.requiredAal)),
    '\napplications\n',
    Object.keys(policy.applications).length === 0
      ? "(none: every application takes its channel's AAL)\n"
      : formatTable(
          ['application', 'required aal', 'tier'],
          Object.entries(policy.applications).map(([id, app]) => [id, app.requiredAal, app.tier]),
        ),
    '\nrisk rules\n',
    formatTable(
      ['name', 'when', 'action', 'aal'],
      policy.riskRules.map((rule) => [rule.name, JSON.stringify(rule.when), rule.action, rule.aal]),
    ),
    '\nsession limits (seconds)\n',
    formatTable(['level', 'max lifetime', 'idle timeout'], sessions),
    view.deviations.length === 0
      ? 'every session limit is within SP 800-63B-4 §2.1.3, §2.2.3, §2.3.3\n'
      : formatTable(
          ['deviation', 'value', 'limit', 'clause', 'acknowledged'],
          view.deviations.map((deviation) => [
            deviation.field,
            deviation.valueSeconds ?? 'none',
            deviation.limitSeconds,
            `${deviation.strength} ${deviation.clause}`,
            view.acknowledgedDeviations.includes(deviation.field) ? 'yes' : 'no',
          ]),
        ),
    `\nfallback methods accepted: ${policy.fallback.acceptableMethods.join(', ')}\n`,
    `longest exception: ${policy.exceptions.maxDurationSeconds} s\n`,
    '(the whole document: --json)\n',
  ].join('');
}

/**
 * What `policy publish` reads: the document alone (with --expected-version),
 * the API's PUT body `{expectedVersion, policy}`, or what `policy show --json`
 * printed `{version, policy, ...}`, edited: its version is the one it was edited from.
 */
export function publicationFromFile(
  text: string,
  expectedVersionOption: number | undefined,
): { policy: unknown; expectedVersion: number; acknowledgedDeviations?: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`the file is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidArgumentError('the file must hold a JSON object');
  const record = parsed as Record<string, unknown>;
  const wrapped = 'policy' in record && typeof record.policy === 'object';
  const policy = wrapped ? record.policy : record;
  const fromFile = wrapped ? (record.expectedVersion ?? record.version) : undefined;
  const expectedVersion = expectedVersionOption ?? fromFile;
  if (typeof expectedVersion !== 'number' || !Number.isInteger(expectedVersion) || expectedVersion < 1) {
    throw new InvalidArgumentError(
      'say which version the document was edited from: --expected-version, or publish what `ledger policy show --json` printed',
    );
  }
  // The domain checks it against the document's deviations from SP 800-63B-4.
  const acknowledgedDeviations = wrapped ? record.acknowledgedDeviations : undefined;
  return { policy, expectedVersion, ...(acknowledgedDeviations !== undefined && { acknowledgedDeviations }) };
}

/** `ledger policy show|publish`: the same policy service the API's handlers wrap, on the configured store. */
export function addPolicyCommands(program: Command, runtime: CliRuntime): void {
  const { context } = runtime;
  const policy = program.command('policy').description('read or publish the assurance policy');

  policy
    .command('show')
    .description('the policy in force, or one version of it')
    .addOption(
      new Option('--version <version>', 'a version instead of the current one').argParser(integerBetween(1, Number.MAX_SAFE_INTEGER)),
    )
    .option('--json', 'print the version and the whole document as JSON')
    .action(async (options: { version?: number; json?: boolean }) => {
      await runtime.withStore(async (store) => {
        let view: PolicyVersionView;
        try {
          view = await new PolicyHistoryStore(store).version(options.version);
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          context.err(`${error.message}\n`);
          context.exitCode = 1;
          return;
        }
        context.out(options.json ? JSON.stringify(view, null, 2) + '\n' : describePolicy(view));
      });
    });

  policy
    .command('publish')
    .description('publish a policy document as the next version; refused if another version was published since it was read')
    .argument('<file>', 'JSON: the document, {expectedVersion, policy}, or the edited output of `policy show --json`')
    .addOption(
      new Option('--expected-version <version>', 'the version the document was edited from').argParser(
        integerBetween(1, Number.MAX_SAFE_INTEGER),
      ),
    )
    .option('--published-by <name>', 'who publishes it, recorded in the policy stream', 'ledger-cli')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { expectedVersion?: number; publishedBy: string; json?: boolean }) => {
      if (!PUBLISHER.test(options.publishedBy) || options.publishedBy.length > 200) {
        throw new InvalidArgumentError('--published-by must contain only letters, digits and . _ : @ + -');
      }
      const {
        policy: document,
        expectedVersion,
        acknowledgedDeviations,
      } = publicationFromFile(readFileSync(file, 'utf8'), options.expectedVersion);
      await runtime.withStore(async (store) => {
        const operation = randomUUID();
        try {
          const published = await new PolicyHistoryStore(store).publish(
            { document, expectedVersion, publishedBy: options.publishedBy, acknowledgedDeviations },
            { correlationId: operation, causationId: operation, writtenBy: 'ledger-cli' },
          );
          context.out(
            options.json
              ? JSON.stringify(published, null, 2) + '\n'
              : `published policy version ${published.version}, in force from ${published.effectiveFrom} (${published.stream} revision ${published.revision}, position ${published.position})\n`,
          );
        } catch (error) {
          if (error instanceof InvalidPolicyError) {
            context.err(
              `policy refused: ${error.message}\n${policyIssues(error)
                .map((issue) => `  ${issue.field}: ${issue.reason}\n`)
                .join('')}`,
            );
            context.exitCode = 1;
            return;
          }
          if (error instanceof PolicyVersionConflict) {
            context.err(`policy refused: ${error.message}\n`);
            context.exitCode = 1;
            return;
          }
          throw error;
        }
      });
    });
}
