/**
 * The policy validator of this installation. The build (`npm run build`) generates the policy
 * kinds' validators from crds/ ahead of time (`scripts/generate-validators.mjs`): reading the eight
 * CRDs as YAML and compiling five schemas was ~0.13 s of single-threaded work at the start of every
 * command. They are used only when they were generated from these very CRD files (same digest);
 * otherwise (not generated, or crds/ changed since) the CRDs are read and compiled now, with the
 * same ajv options, so the verdicts and errors are the same either way.
 */
import type { CompiledPolicyValidators, PolicyValidator } from '../../core/model/validate-policy-set.js';
import { createPolicyValidator } from '../../core/model/validate-policy-set.js';
import { DEFAULT_YAML_LIMITS, type YamlLimits } from '../../core/model/yaml-source.js';
import { crdDigest, defaultCrdDirectory, readCrdSchemas } from './read-crds.js';

/** The generated validators when they match the CRDs in `directory`; undefined otherwise. */
export async function generatedValidatorsFor(directory: string = defaultCrdDirectory()): Promise<CompiledPolicyValidators | undefined> {
  let generated: typeof import('../../core/model/generated/policy-validators.js');
  try {
    generated = await import('../../core/model/generated/policy-validators.js');
  } catch {
    // Not generated (a build by `tsc` alone): compile from the CRDs.
    return undefined;
  }
  return generated.CRD_DIGEST === (await crdDigest(directory)) ? generated.validators : undefined;
}

export async function installedPolicyValidator(
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
  directory: string = defaultCrdDirectory(),
): Promise<PolicyValidator> {
  const generated = await generatedValidatorsFor(directory);
  if (generated !== undefined) return createPolicyValidator([], limits, generated);
  return createPolicyValidator(await readCrdSchemas(directory), limits);
}
