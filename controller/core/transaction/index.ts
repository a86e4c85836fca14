/** Transactions of one host: what a package manager would do, whether it may, and whether it did. */
export {
  allowedRemovalsFor,
  checkTransaction,
  type TransactionApproval,
  type TransactionRefusal,
  type TransactionViolation,
} from './check-transaction.js';
export { changesOf, EMPTY_TRANSACTION, type PackageChange, type PackageVersion, type Transaction } from './transaction.js';
export { verifyVersions, type VersionMismatch, type VersionVerification } from './verify-versions.js';
