import { v5 as uuidv5 } from 'uuid';

/** Never changes: ids derived from it must come out the same on every retry, in every version. */
const DERIVED_COMMAND_NAMESPACE = '3f0c8a57-6d1e-4f6b-9a53-1c2e8b7d4a90';

/**
 * A command id derived from what the command is about (e.g. the outcome of
 * attempt 3 of a reminder): whoever issues it, however often, it is the same
 * id, so the command path recognises a repeat and appends nothing twice.
 */
export const derivedCommandId = (name: string): string => uuidv5(name, DERIVED_COMMAND_NAMESPACE);
