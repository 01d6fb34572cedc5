import { ValidationArguments, registerDecorator } from 'class-validator';

/**
 * Runs a domain rule ("why is this value wrong, or null") as a
 * class-validator constraint, so the HTTP layer and the domain share one
 * definition of every rule and its message.
 */
export function SatisfiesRule(problem: (value: unknown, object: object) => string | null) {
  return (target: object, propertyName: string) => {
    let last: string | null = null;
    registerDecorator({
      name: 'satisfiesRule',
      target: target.constructor,
      propertyName,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          last = problem(value, args.object);
          return last === null;
        },
        defaultMessage: () => last ?? `${propertyName} is invalid`,
      },
    });
  };
}
