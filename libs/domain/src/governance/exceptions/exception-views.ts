import { ExceptionCatalog, ExceptionSummary } from './exception-catalog';

const DAY_MS = 24 * 3600 * 1000;
/** The review queue shows approved exceptions this close to their expiry, so that a renewal is a decision and not a lapse. */
export const EXPIRING_SOON_DAYS = 7;
/** Renewed this often, an exception is a permanent carve-out in disguise. */
export const CARVE_OUT_RENEWALS = 3;

export const EXCEPTION_AGE_BANDS = ['under-7d', '7d-30d', '30d-90d', 'over-90d'] as const;
export type ExceptionAgeBand = (typeof EXCEPTION_AGE_BANDS)[number];

function isActive(summary: ExceptionSummary, now: number): boolean {
  return summary.status === 'approved' && Date.parse(summary.expiresAt) > now;
}

/**
 * Approved, not yet expired exceptions that apply to this subject: those
 * naming it, then those scoped to a whole application or channel, which
 * apply to everyone there. Soonest expiry first within each.
 */
export function exceptionsApplyingTo(catalog: ExceptionCatalog, subjectId: string, now: number): ExceptionSummary[] {
  return [...catalog.exceptions.values()]
    .filter((summary) => (summary.scope.subjectId ?? subjectId) === subjectId && isActive(summary, now))
    .sort(
      (a, b) =>
        Number(a.scope.subjectId === undefined) - Number(b.scope.subjectId === undefined) ||
        Date.parse(a.expiresAt) - Date.parse(b.expiresAt) ||
        a.exceptionId.localeCompare(b.exceptionId),
    );
}

export interface ExceptionsToReview {
  /** Requested and not yet decided, oldest first. */
  pending: ExceptionSummary[];
  /** Approved and expiring within EXPIRING_SOON_DAYS, soonest first. */
  expiringSoon: ExceptionSummary[];
}

export function exceptionsToReview(catalog: ExceptionCatalog, now: number): ExceptionsToReview {
  const all = [...catalog.exceptions.values()];
  return {
    pending: all
      .filter((summary) => summary.status === 'requested' && Date.parse(summary.expiresAt) > now)
      .sort((a, b) => Date.parse(a.requestedAt) - Date.parse(b.requestedAt)),
    expiringSoon: all
      .filter((summary) => isActive(summary, now) && Date.parse(summary.expiresAt) - now <= EXPIRING_SOON_DAYS * DAY_MS)
      .sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt)),
  };
}

export interface RenewedDependency {
  applicationId: string;
  exceptionId: string;
  renewalCount: number;
  /** When the first exception of the chain was requested. */
  chainStartedAt: string;
  expiresAt: string;
  carveOutInDisguise: boolean;
}

export interface ExceptionPosture {
  /** Active exceptions by the age of their chain: a renewal inherits the age of the exception it renews. */
  activeByAge: Record<ExceptionAgeBand, number>;
  active: number;
  pending: number;
  /** Applications that rely on an active exception that is itself a renewal, most renewed first. */
  renewedDependencies: RenewedDependency[];
  carveOutsInDisguise: number;
}

function chainStart(catalog: ExceptionCatalog, summary: ExceptionSummary): string {
  let current = summary;
  // A chain is acyclic (a renewal names an existing, older exception); the bound guards a corrupt store.
  for (let step = 0; current.renews !== null && step < 10_000; step++) {
    const previous = catalog.exceptions.get(current.renews);
    if (!previous) break;
    current = previous;
  }
  return current.requestedAt;
}

function ageBand(ageMs: number): ExceptionAgeBand {
  if (ageMs < 7 * DAY_MS) return 'under-7d';
  if (ageMs < 30 * DAY_MS) return '7d-30d';
  if (ageMs < 90 * DAY_MS) return '30d-90d';
  return 'over-90d';
}

export function exceptionPosture(catalog: ExceptionCatalog, now: number): ExceptionPosture {
  const activeByAge = Object.fromEntries(EXCEPTION_AGE_BANDS.map((band) => [band, 0])) as Record<ExceptionAgeBand, number>;
  const renewedDependencies: RenewedDependency[] = [];
  let active = 0;
  let pending = 0;
  for (const summary of catalog.exceptions.values()) {
    if (summary.status === 'requested' && Date.parse(summary.expiresAt) > now) pending++;
    if (!isActive(summary, now)) continue;
    active++;
    const chainStartedAt = chainStart(catalog, summary);
    activeByAge[ageBand(now - Date.parse(chainStartedAt))]++;
    if (summary.renewalCount > 0 && summary.scope.applicationId !== undefined) {
      renewedDependencies.push({
        applicationId: summary.scope.applicationId,
        exceptionId: summary.exceptionId,
        renewalCount: summary.renewalCount,
        chainStartedAt,
        expiresAt: summary.expiresAt,
        carveOutInDisguise: summary.renewalCount >= CARVE_OUT_RENEWALS,
      });
    }
  }
  renewedDependencies.sort((a, b) => b.renewalCount - a.renewalCount || a.applicationId.localeCompare(b.applicationId));
  return {
    activeByAge,
    active,
    pending,
    renewedDependencies,
    carveOutsInDisguise: renewedDependencies.filter((dependency) => dependency.carveOutInDisguise).length,
  };
}
