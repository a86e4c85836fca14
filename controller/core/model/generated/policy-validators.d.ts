/**
 * Declares the module `scripts/generate-validators.mjs` writes into dist/ at build time (never
 * committed): the policy kinds' validators as ajv standalone code, compiled from crds/ with the
 * options of `newPolicyAjv`, and the digest of the CRD files they were compiled from.
 */
import type { ValidateFunction } from 'ajv';
import type { PolicyKind } from '../kinds.js';

/** `crdDigest` of the crds/ directory the validators were generated from. */
export declare const CRD_DIGEST: string;
export declare const validators: Readonly<Record<PolicyKind, ValidateFunction>>;
