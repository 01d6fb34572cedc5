import { apiDocsMetadata } from '@herald/platform';

/** This lib's swagger-plugin metadata (npm run openapi:metadata), listed by every module that serves reminder routes. */
export const REMINDERS_API_DOCS = apiDocsMetadata('reminders', () => import('./openapi-metadata.generated'));
