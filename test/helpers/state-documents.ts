import { err, ok } from '../../controller/errors.js';
import type { StateDocumentType } from '../../controller/ports/state-store.js';

/** A minimal document type for the state store tests: `{ text: string }`, version 2 (version 1 was a bare string). */
export const NOTE: StateDocumentType<{ text: string }> = {
  kind: 'note',
  version: 2,
  decode: (data, version) => {
    if (version === 1) return typeof data === 'string' ? ok({ text: data }) : err('version 1 data must be a string');
    const text = (data as { text?: unknown } | null)?.text;
    return typeof text === 'string' ? ok({ text }) : err('field "text" must be a string');
  },
};
