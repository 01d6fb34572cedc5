import { notFound } from '@herald/kernel';

/** The one answer for a notification that does not exist, or is not the caller's to see. */
export const notificationNotFound = (notificationId: string) => notFound('NotificationNotFound', `notification ${notificationId} does not exist`);
