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
    return super.transform(value, metadata);
  }
}

export const heraldValidationPipe = () => new HeraldValidationPipe();
