/** A variable Herald cannot start with; its message names the variable and what to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
