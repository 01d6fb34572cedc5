// Validates the OpenAPI document read from stdin with @seriousme/openapi-schema-validator and prints
// { valid, errors?, version } as JSON. A child process because the validator ships ES modules only
// (it reads its schemas through import.meta.url), which jest's CommonJS runtime cannot load.
import { Validator } from '@seriousme/openapi-schema-validator';

let text = '';
for await (const chunk of process.stdin) text += chunk;
const validator = new Validator({ allErrors: true });
const result = await validator.validate(JSON.parse(text));
process.stdout.write(JSON.stringify({ ...result, version: validator.version }));
