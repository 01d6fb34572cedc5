import { apiDocsMetadata } from '@herald/platform';

/** This lib's swagger-plugin metadata (npm run openapi:metadata): the history events and the feed's query. */
export const RUNTIME_API_DOCS = apiDocsMetadata('runtime', () => import('./openapi-metadata.generated'));
