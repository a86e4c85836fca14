export type { Advisory, AffectedEntry, AffectedInterval, IndexProblem, IndexProblemReason } from './advisory.js';
export { AdvisoryIndex, affectedInterval, type AdvisoryIndexStats, type ReleaseIndex } from './advisory-index.js';
export { buildAdvisoryIndex, type BuildIndexOptions, type BuiltIndex } from './build-index.js';
export { ADVISORY_STREAMS, parseEcosystem, type AdvisoryStream, type EcosystemTarget, type PackageNaming } from './ecosystem.js';
export type { OsvAffected, OsvEvent, OsvRange, OsvRecord, OsvSeverity } from './osv-record.js';
export * from './severity.js';
