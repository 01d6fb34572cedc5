import { BadRequestException } from '@nestjs/common';

/** A deployment limit rather than a domain rule: 400 when `value` serialises to more than `maxBytes` of JSON. */
export function assertJsonWithin(field: string, value: unknown, maxBytes: number): void {
  if (value === undefined) return;
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > maxBytes) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      code: 'ValidationFailed',
      message: [`${field} must serialise to at most ${maxBytes} bytes of JSON (it is ${bytes})`],
    });
  }
}
