import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

const badRequest = (message: string[]) => new BadRequestException({ statusCode: 400, error: 'Bad Request', code: 'ValidationFailed', message });

/** Flattens nested errors; messages already start with their field ("seconds must not be less than 0"). */
function messages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (parent && m.startsWith(e.property) ? m.replace(e.property, path) : m));
    return [...own, ...messages(e.children ?? [], path)];
  });
}

/**
 * Levels of objects and arrays a request body may nest (the body itself is
 * one). Validation walks a body recursively (Nest's prototype-key stripping,
 * class-transformer, class-validator), so JSON nested about a thousand deep
 * overflowed the stack: a 500. Far more than any reminder payload, task
 * params or checkpoint needs; refused before anything walks it.
 */
export const BODY_MAX_DEPTH = 100;

/** Whether a parsed JSON value nests deeper than `max` levels, found without recursion. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * Unknown fields are refused rather than silently dropped: a typo such as
 * `secconds` must not become a reminder that fires at once.
 */
class HeraldValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: (errors) => badRequest(messages(errors)) });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // No body at all (a POST /pause without one) is an empty object: each DTO says what it requires.
    if (metadata.type === 'body' && value === undefined) value = {};
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw badRequest(['request body must be a JSON object']);
    }
    if (metadata.type === 'body' && nestsDeeperThan(value, BODY_MAX_DEPTH)) {
      throw badRequest([`request body must not nest objects and arrays more than ${BODY_MAX_DEPTH} levels deep`]);
    }
    return super.transform(value, metadata);
  }
}

export const heraldValidationPipe = () => new HeraldValidationPipe();
