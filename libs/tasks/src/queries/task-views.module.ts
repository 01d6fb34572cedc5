import { Module } from '@nestjs/common';
import { VIEW_STORES, ViewStores } from '@herald/runtime';
import { TASK_VIEWS, TASK_VIEW_DEFINITION } from './task-view';

/** The task views' store, opened on whichever adapter the service's storage chose. */
@Module({
  providers: [{ provide: TASK_VIEWS, inject: [VIEW_STORES], useFactory: (stores: ViewStores) => stores.open(TASK_VIEW_DEFINITION) }],
  exports: [TASK_VIEWS],
})
export class TaskViewsModule {}
