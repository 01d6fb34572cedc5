import { Module } from '@nestjs/common';
import { projectionProvider } from '@herald/runtime';
import { TIME_INDEX, TimeIndex } from '@herald/scheduling';
import { TaskViewsProjectionModule } from './queries/projection/task-views-projection.module';
import { TASK_TIMERS_PROJECTION, taskTimersProjection } from './scheduling/task-timers.projection';

/** Every task projection, registered without the services around them: what `npm run replay` rebuilds. */
@Module({
  imports: [TaskViewsProjectionModule],
  providers: [projectionProvider(TASK_TIMERS_PROJECTION, [TIME_INDEX], (index: TimeIndex) => taskTimersProjection(index))],
})
export class TaskProjectionsModule {}
