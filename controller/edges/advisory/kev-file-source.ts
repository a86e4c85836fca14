/**
 * Known-exploited catalogue in the CISA KEV JSON format (`known_exploited_vulnerabilities.json`):
 * `{ catalogVersion?, vulnerabilities: [{ cveID, dateAdded, dueDate?, knownRansomwareCampaignUse? }] }`.
 * Checked with a compiled ajv schema; entries without a well-formed CVE id are skipped.
 */
import { Ajv } from 'ajv';
import { ExternalError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { KnownExploitedCatalogue, KnownExploitedEntry, KnownExploitedSource } from '../../ports/advisory-source.js';
import { isInputError, READ_LIMITS, type ReadLimit, readInputText } from '../io/bounded-read.js';
import { excessJsonDepth, MAX_JSON_DEPTH } from '../io/json-depth.js';

export const KEV_CATALOGUE_SCHEMA = {
  $id: 'https://patchward.io/schemas/edge/kev-catalogue.json',
  type: 'object',
  required: ['vulnerabilities'],
  properties: {
    catalogVersion: { type: 'string' },
    dateReleased: { type: 'string' },
    vulnerabilities: {
      type: 'array',
      items: {
        type: 'object',
        required: ['cveID', 'dateAdded'],
        properties: {
          cveID: { type: 'string' },
          dateAdded: { type: 'string' },
          dueDate: { type: 'string' },
          knownRansomwareCampaignUse: { type: 'string' },
        },
      },
    },
  },
} as const;

interface KevDocument {
  readonly catalogVersion?: string;
  readonly dateReleased?: string;
  readonly vulnerabilities: readonly { cveID: string; dateAdded: string; dueDate?: string; knownRansomwareCampaignUse?: string }[];
}

const CVE_ID = /^CVE-[0-9]{4}-[0-9]{4,}$/;

/** Parses and checks catalogue JSON text; throws `ExternalError` when the document is unusable. */
export function parseKevCatalogue(text: string, location: string, logger: Logger): KnownExploitedCatalogue {
  const validate = new Ajv({ allErrors: true, strict: true }).compile<KevDocument>(KEV_CATALOGUE_SCHEMA);
  const deep = excessJsonDepth(text);
  if (deep !== undefined)
    throw new ExternalError(
      'advisory',
      'KevCatalogueInvalid',
      `known-exploited catalogue ${location} nests deeper than ${MAX_JSON_DEPTH} levels`,
      {
        context: { path: location },
      },
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExternalError('advisory', 'KevCatalogueInvalid', `known-exploited catalogue ${location} is not JSON`, {
      cause: error,
      context: { path: location },
    });
  }
  if (!validate(value)) {
    const detail = (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`).join('; ');
    throw new ExternalError(
      'advisory',
      'KevCatalogueInvalid',
      `known-exploited catalogue ${location} does not match the KEV format: ${detail}`,
      { context: { path: location } },
    );
  }
  const entries = new Map<string, KnownExploitedEntry>();
  for (const item of value.vulnerabilities) {
    if (!CVE_ID.test(item.cveID)) {
      logger.warn({ advisory: item.cveID, path: location }, 'known-exploited entry skipped: not a CVE id');
      continue;
    }
    entries.set(item.cveID, {
      cveId: item.cveID,
      dateAdded: item.dateAdded,
      ...(item.dueDate === undefined ? {} : { dueDate: item.dueDate }),
      ...(item.knownRansomwareCampaignUse === undefined ? {} : { knownRansomwareCampaignUse: item.knownRansomwareCampaignUse }),
    });
  }
  return { revision: value.catalogVersion ?? value.dateReleased ?? `entries:${entries.size}`, entries };
}

export class KevFileSource implements KnownExploitedSource {
  readonly kind = 'kev-file';
  readonly #path: string;
  readonly #logger: Logger;
  readonly #limit: ReadLimit;

  constructor(path: string, logger: Logger, limit: ReadLimit = READ_LIMITS.kevFile) {
    this.#path = path;
    this.#logger = logger;
    this.#limit = limit;
  }

  async load(): Promise<KnownExploitedCatalogue> {
    let text: string;
    try {
      text = await readInputText(this.#path, { limit: this.#limit });
    } catch (error) {
      if (isInputError(error)) throw error;
      throw new ExternalError('advisory', 'KevCatalogueUnreadable', `cannot read known-exploited catalogue ${this.#path}`, {
        cause: error,
        context: { path: this.#path },
      });
    }
    return parseKevCatalogue(text, this.#path, this.#logger);
  }
}
