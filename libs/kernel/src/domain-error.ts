/**
 * Errors a decision raises. `code` is stable and machine-readable; the
 * HTTP layer maps `kind` to a status (invalid → 400, not-found → 404,
 * conflict → 409) without the domain knowing about HTTP.
 */
export type DomainErrorKind = 'invalid' | 'not-found' | 'conflict';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const invalid = (code: string, message: string) => new DomainError('invalid', code, message);
export const notFound = (code: string, message: string) => new DomainError('not-found', code, message);
export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
