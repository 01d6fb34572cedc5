import { apiDocsMetadata } from '@herald/platform';

/** This lib's swagger-plugin metadata (npm run openapi:metadata), listed by every module that serves notification routes. */
export const NOTIFICATIONS_API_DOCS = apiDocsMetadata('notifications', () => import('./openapi-metadata.generated'));
