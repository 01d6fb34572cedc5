import { apiDocsMetadata } from '@herald/platform';

/** This lib's swagger-plugin metadata (npm run openapi:metadata), listed by every module that serves task routes. */
export const TASKS_API_DOCS = apiDocsMetadata('tasks', () => import('./openapi-metadata.generated'));
