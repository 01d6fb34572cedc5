import { apiDocsMetadata } from '@herald/platform';

/** This lib's swagger-plugin metadata (npm run openapi:metadata), listed by every module that serves schedule routes. */
export const SCHEDULES_API_DOCS = apiDocsMetadata('schedules', () => import('./openapi-metadata.generated'));
