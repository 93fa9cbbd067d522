export { ESTATE_DEFAULTS, type EstateOptions, generateEstate, generateSubjectHistory, subjectIdFor } from './generate-estate';
export type { EstateCloudEvent } from './subject-history';
export { type EstateSummary, summarizeEstate } from './estate-summary';
export { SeededRandom } from './seeded-random';
export {
  AUTHENTICATOR_PROFILES,
  ESTATE_APPLICATIONS,
  type EstateApplication,
  LEAKY_LEGACY_APPLICATION_ID,
  type Persona,
} from './estate-catalog';
