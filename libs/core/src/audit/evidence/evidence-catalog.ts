import type { AuthenticationFilter } from '@ledger/read-models';

/**
 * Where a figure comes from. Each source is one audit query an auditor can run
 * themselves; the report computes the figure with the code that answers that
 * query, and cites the query next to the value.
 */
export type FigureSource =
  /** `GET /v1/audit/authentications/count` over the report's window, with these filters. */
  | { authentications: Omit<AuthenticationFilter, 'from' | 'to'> }
  /** Lines of `GET /v1/audit/export?format=jsonl` over the window: of these types, with these data fields equal, and these present. */
  | { events: { types: string[]; where?: Record<string, string | number | boolean>; present?: string[] } }
  /** A value inside the JSON answer of a named document query (see `EVIDENCE_DOCUMENTS`). */
  | { document: EvidenceDocumentName; pointer: string }
  /** The sum of other figures. */
  | { sumOf: string[] }
  /** Sum of the numerator figures over sum of the denominator figures; null when the denominator is 0. */
  | { ratioOf: { numerator: string[]; denominator: string[] } };

/** JSON documents the report reads figures from; each is one GET an auditor can repeat. */
export type EvidenceDocumentName = 'posture' | 'verify' | 'policy';

export interface FigureDefinition {
  id: string;
  label: string;
  source: FigureSource;
}

export interface ControlDefinition {
  framework: 'NIST CSF 2.0' | 'NIST SP 800-63B-4';
  id: string;
  title: string;
  /** What the figures show about the control, in the ledger's terms. */
  evidence: string;
  figures: string[];
  /** False when the ledger holds nothing that bears on the control; the report says so instead of inventing figures. */
  applies: boolean;
}

/**
 * Every figure of the report, once. A new figure is one more entry here,
 * named by the controls it supports; a new JSON query is one more document.
 */
export const EVIDENCE_FIGURES: FigureDefinition[] = [
  { id: 'subjects', label: 'subjects in the ledger (now)', source: { document: 'posture', pointer: '/estate/subjects/subjects' } },
  { id: 'identity-proofings', label: 'identity proofings recorded', source: { events: { types: ['assurance.identity.proofed'] } } },
  { id: 'enrollments', label: 'authenticators bound', source: { events: { types: ['assurance.authenticator.enrolled'] } } },
  {
    id: 'enrollments-phishing-resistant',
    label: 'phishing-resistant authenticators bound',
    source: { events: { types: ['assurance.authenticator.enrolled'], where: { phishingResistant: true } } },
  },
  { id: 'revocations', label: 'authenticators revoked', source: { events: { types: ['assurance.authenticator.revoked'] } } },
  {
    id: 'phishing-resistant-capable-share',
    label: 'share of subjects with an active phishing-resistant authenticator (now)',
    source: { document: 'posture', pointer: '/estate/subjects/phishingResistantCapableShare' },
  },
  {
    id: 'passwordless-share',
    label: 'share of subjects that are passwordless (now)',
    source: { document: 'posture', pointer: '/estate/subjects/passwordlessShare' },
  },
  { id: 'authentications', label: 'successful authentications', source: { authentications: {} } },
  {
    id: 'authentications-compliant',
    label: 'authentications that met their required AAL',
    source: { authentications: { verdict: 'compliant' } },
  },
  {
    id: 'authentications-violation',
    label: 'authentications below their required AAL',
    source: { authentications: { verdict: 'violation' } },
  },
  {
    id: 'authentications-excepted',
    label: 'authentications below their required AAL, inside an approved exception',
    source: { authentications: { verdict: 'excepted' } },
  },
  {
    id: 'authentications-unevaluated',
    label: 'authentications without a verdict',
    source: { authentications: { verdict: 'unevaluated' } },
  },
  { id: 'authentications-aal2-or-higher', label: 'authentications at AAL2 or higher', source: { authentications: { minAal: 2 } } },
  { id: 'authentications-aal3', label: 'authentications at AAL3', source: { authentications: { minAal: 3 } } },
  {
    id: 'share-met-required-aal',
    label: 'share of judged authentications that met their required AAL',
    source: {
      ratioOf: {
        numerator: ['authentications-compliant'],
        denominator: ['authentications-compliant', 'authentications-violation', 'authentications-excepted'],
      },
    },
  },
  {
    id: 'share-evaluated',
    label: 'share of authentications the ledger judged against a policy version',
    source: {
      ratioOf: {
        numerator: ['authentications-compliant', 'authentications-violation', 'authentications-excepted'],
        denominator: ['authentications'],
      },
    },
  },
  { id: 'authentication-failures', label: 'failed authentications', source: { events: { types: ['assurance.authentication.failed'] } } },
  { id: 'fallbacks', label: 'fallbacks to a weaker method', source: { events: { types: ['assurance.fallback.used'] } } },
  { id: 'policy-version', label: 'policy version in force (now)', source: { document: 'policy', pointer: '/version' } },
  { id: 'stepups-challenged', label: 'step-up challenges', source: { events: { types: ['assurance.stepup.challenged'] } } },
  { id: 'stepups-completed', label: 'step-ups completed', source: { events: { types: ['assurance.stepup.completed'] } } },
  { id: 'stepups-failed', label: 'step-ups failed', source: { events: { types: ['assurance.stepup.failed'] } } },
  {
    id: 'decisions-step-up',
    label: 'access decisions that required reauthentication (step-up)',
    source: { events: { types: ['assurance.access.decided'], where: { decision: 'step-up' } } },
  },
  {
    id: 'decisions-allowed-under-exception',
    label: 'access decisions that allowed access below the required AAL under an approved exception',
    source: { events: { types: ['assurance.access.decided'], where: { decision: 'allow' }, present: ['exception'] } },
  },
  {
    id: 'decisions-deny',
    label: 'access decisions that denied access',
    source: { events: { types: ['assurance.access.decided'], where: { decision: 'deny' } } },
  },
  { id: 'sessions-revoked', label: 'sessions revoked', source: { events: { types: ['assurance.session.revoked'] } } },
  { id: 'recoveries-initiated', label: 'account recoveries initiated', source: { events: { types: ['assurance.recovery.initiated'] } } },
  { id: 'recoveries-completed', label: 'account recoveries completed', source: { events: { types: ['assurance.recovery.completed'] } } },
  {
    id: 'recoveries-completed-user-notified',
    label: 'completed recoveries the subject was notified of',
    source: { events: { types: ['assurance.recovery.completed'], where: { userNotified: true } } },
  },
  {
    id: 'recoveries-completed-with-ticket',
    label: 'completed recoveries with a ticket (verifier on record)',
    source: { events: { types: ['assurance.recovery.completed'], present: ['ticketId'] } },
  },
  { id: 'recoveries-failed', label: 'account recoveries failed', source: { events: { types: ['assurance.recovery.failed'] } } },
  { id: 'breakglass-uses', label: 'break-glass uses', source: { events: { types: ['assurance.breakglass.used'] } } },
  {
    id: 'breakglass-uses-approved',
    label: 'break-glass uses with a named approver',
    source: { events: { types: ['assurance.breakglass.used'], present: ['approvedBy'] } },
  },
  { id: 'review-items-open', label: 'open review items (now)', source: { document: 'posture', pointer: '/openReviews/open' } },
  {
    id: 'review-items-open-7d-30d',
    label: 'review items open 7 to 30 days (now)',
    source: { document: 'posture', pointer: '/openReviews/byAge/7d-30d' },
  },
  {
    id: 'review-items-open-over-30d',
    label: 'review items open over 30 days (now)',
    source: { document: 'posture', pointer: '/openReviews/byAge/over-30d' },
  },
  {
    id: 'review-items-overdue',
    label: 'review items overdue: open more than 7 days (now)',
    source: { sumOf: ['review-items-open-7d-30d', 'review-items-open-over-30d'] },
  },
  {
    id: 'oldest-open-review-item',
    label: 'when the oldest open review item occurred',
    source: { document: 'posture', pointer: '/openReviews/oldestOccurredAt' },
  },
  { id: 'exceptions-active', label: 'exceptions in force (now)', source: { document: 'posture', pointer: '/exceptions/active' } },
  {
    id: 'exceptions-pending',
    label: 'exception requests awaiting a reviewer (now)',
    source: { document: 'posture', pointer: '/exceptions/pending' },
  },
  {
    id: 'exceptions-active-under-7d',
    label: 'exceptions in force, chain under 7 days old (now)',
    source: { document: 'posture', pointer: '/exceptions/activeByAge/under-7d' },
  },
  {
    id: 'exceptions-active-7d-30d',
    label: 'exceptions in force, chain 7 to 30 days old (now)',
    source: { document: 'posture', pointer: '/exceptions/activeByAge/7d-30d' },
  },
  {
    id: 'exceptions-active-30d-90d',
    label: 'exceptions in force, chain 30 to 90 days old (now)',
    source: { document: 'posture', pointer: '/exceptions/activeByAge/30d-90d' },
  },
  {
    id: 'exceptions-active-over-90d',
    label: 'exceptions in force, chain over 90 days old (now)',
    source: { document: 'posture', pointer: '/exceptions/activeByAge/over-90d' },
  },
  {
    id: 'exceptions-carve-outs-in-disguise',
    label: 'exceptions in force renewed three or more times (now)',
    source: { document: 'posture', pointer: '/exceptions/carveOutsInDisguise' },
  },
  { id: 'exceptions-approved', label: 'exceptions approved', source: { events: { types: ['assurance.exception.approved'] } } },
  {
    id: 'exceptions-renewal-requests',
    label: 'exception requests that renew an earlier one',
    source: { events: { types: ['assurance.exception.requested'], present: ['renews'] } },
  },
  {
    id: 'fallbacks-covered-by-exception',
    label: 'fallbacks covered by an approved exception',
    source: { events: { types: ['assurance.fallback.evaluated'], where: { covered: true } } },
  },
  {
    id: 'recoveries-completed-second-approver',
    label: 'completed recoveries with a second approver on the recovery itself',
    source: { events: { types: ['assurance.recovery.completed'], present: ['approvedBy'] } },
  },
  {
    id: 'recovery-approvals-later',
    label: 'second approvals recorded after a recovery',
    source: { events: { types: ['assurance.recovery.approved'] } },
  },
  { id: 'chain-valid', label: 'every hash chain verifies (whole store)', source: { document: 'verify', pointer: '/valid' } },
  { id: 'chain-events-checked', label: 'events verified', source: { document: 'verify', pointer: '/eventsChecked' } },
  { id: 'chain-streams-checked', label: 'streams verified', source: { document: 'verify', pointer: '/streamsChecked' } },
];

export const EVIDENCE_CONTROLS: ControlDefinition[] = [
  {
    framework: 'NIST CSF 2.0',
    id: 'PR.AA-01',
    title: 'Identities and credentials for authorized users, services, and hardware are managed by the organization',
    evidence:
      'Every authenticator bound to or revoked from a subject is recorded, with its properties, in a hash-chained stream per subject.',
    figures: ['subjects', 'enrollments', 'enrollments-phishing-resistant', 'revocations', 'passwordless-share'],
    applies: true,
  },
  {
    framework: 'NIST CSF 2.0',
    id: 'PR.AA-02',
    title: 'Identities are proofed and bound to credentials based on the context of interactions',
    evidence: 'Identity proofing (IAL, method, evidence, proofer) and the authenticators bound afterwards are recorded per subject.',
    figures: ['identity-proofings', 'enrollments'],
    applies: true,
  },
  {
    framework: 'NIST CSF 2.0',
    id: 'PR.AA-03',
    title: 'Users, services, and hardware are authenticated',
    evidence: 'Each successful authentication is judged at ingestion against the policy version in force: achieved against required AAL.',
    figures: [
      'authentications',
      'share-met-required-aal',
      'authentications-violation',
      'authentications-excepted',
      'authentications-aal2-or-higher',
      'authentications-aal3',
      'phishing-resistant-capable-share',
      'authentication-failures',
      'fallbacks',
    ],
    applies: true,
  },
  {
    framework: 'NIST CSF 2.0',
    id: 'PR.AA-04',
    title: 'Identity assertions are protected, conveyed, and verified',
    evidence:
      "Emitters' assertions are kept as received and verified by the ledger: its verdict derives amr and acr from the enrolled authenticators, and the hash chains prove the record unaltered.",
    figures: ['share-evaluated', 'authentications-unevaluated', 'chain-valid', 'chain-events-checked', 'chain-streams-checked'],
    applies: true,
  },
  {
    framework: 'NIST CSF 2.0',
    id: 'PR.AA-05',
    title: 'Access permissions, entitlements, and authorizations are defined in a policy, managed, enforced, and reviewed',
    evidence:
      'One versioned policy sets the AAL per channel and application; decisions enforce it, what needs a human goes to the review queue, and every allowance for a weaker path is an approved, expiring exception.',
    figures: [
      'policy-version',
      'decisions-step-up',
      'decisions-deny',
      'decisions-allowed-under-exception',
      'breakglass-uses',
      'breakglass-uses-approved',
      'review-items-open',
      'review-items-overdue',
      'oldest-open-review-item',
      'exceptions-active',
      'exceptions-pending',
      'exceptions-active-under-7d',
      'exceptions-active-7d-30d',
      'exceptions-active-30d-90d',
      'exceptions-active-over-90d',
      'exceptions-carve-outs-in-disguise',
      'exceptions-approved',
      'exceptions-renewal-requests',
      'fallbacks-covered-by-exception',
    ],
    applies: true,
  },
  {
    framework: 'NIST CSF 2.0',
    id: 'PR.AA-06',
    title: 'Physical access to assets is managed, monitored, and enforced commensurate with risk',
    evidence: 'Not applicable: the ledger records authentication to digital services, not physical access.',
    figures: [],
    applies: false,
  },
  {
    framework: 'NIST SP 800-63B-4',
    id: 'Sec. 4.1',
    title: 'Authenticator binding',
    evidence:
      'A record of every authenticator ever bound to each subscriber account, with its characteristics (phishing resistance, hardware binding) and the time of each life-cycle event.',
    figures: ['enrollments', 'enrollments-phishing-resistant', 'revocations', 'phishing-resistant-capable-share'],
    applies: true,
  },
  {
    framework: 'NIST SP 800-63B-4',
    id: 'Sec. 4.2',
    title: 'Account recovery',
    evidence:
      'Recoveries by outcome, whether the subscriber was notified, whether a ticket names the verification, and second approvals of assisted recoveries.',
    figures: [
      'recoveries-initiated',
      'recoveries-completed',
      'recoveries-completed-user-notified',
      'recoveries-completed-with-ticket',
      'recoveries-completed-second-approver',
      'recovery-approvals-later',
      'recoveries-failed',
    ],
    applies: true,
  },
  {
    framework: 'NIST SP 800-63B-4',
    id: 'Sec. 5.2',
    title: 'Reauthentication',
    evidence: 'Step-ups asked by the policy (session limits, risk) and their outcomes, and sessions revoked.',
    figures: ['decisions-step-up', 'stepups-challenged', 'stepups-completed', 'stepups-failed', 'sessions-revoked'],
    applies: true,
  },
];
