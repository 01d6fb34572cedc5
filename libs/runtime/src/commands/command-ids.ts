import { v5 as uuidv5 } from 'uuid';

/** Never changes: ids derived from it must come out the same on every retry, in every version. */
const DERIVED_COMMAND_NAMESPACE = '3f0c8a57-6d1e-4f6b-9a53-1c2e8b7d4a90';

/**
 * A command id derived from what the command is about (e.g. the outcome of
 * attempt 3 of a reminder): whoever issues it, however often, it is the same
 * id, so the command path recognises a repeat and appends nothing twice.
 */
export const derivedCommandId = (name: string): string =>
  // The name's UTF-8 bytes, as uuid would take them from the string itself (the same id for every name), except that
  // a lone surrogate (a lease token a client made up) becomes U+FFFD instead of uuid's URIError, a 500.
  uuidv5(Buffer.from(name, 'utf8'), DERIVED_COMMAND_NAMESPACE);
