import { TaskEvent } from '../../domain';
import { ID, at, cancelled, completed, enqueued, heartbeat, iso, leased, pauseRequested } from '../../domain/commands/fixtures.unit-helpers';
import { TaskView } from '../task-view';
import { projectTaskView } from './task-view.projection';

/** Folds events into the view the way the projection does: revision by revision, each recorded at `at(ms)`. */
function view(events: [TaskEvent, number][]): TaskView | null {
  return events.reduce<TaskView | null>((v, [event, ms], revision) => projectTaskView(v, event, revision, at(ms)), null);
}

describe('the task view: a fold of the task events', () => {
  it('starts Queued, created when enqueued, with nothing run yet', () => {
    expect(view([[enqueued(), 0]])).toMatchObject({
      id: ID,
      revision: 0,
      status: 'Queued',
      type: 'report.render',
      owner: 'team-a',
      tags: ['nightly'],
      priority: 0,
      createdAt: iso(0),
      updatedAt: iso(0),
      startedAt: null,
      finishedAt: null,
      workerId: null,
    });
  });

  it('records the first start, the worker, progress and checkpoint as the aggregate sees them', () => {
    const v = view([
      [enqueued(), 0],
      [leased(), 1_000],
      [heartbeat(2_000, { progress: { p: 10 }, checkpoint: { page: 2 } }), 2_000],
    ]);
    expect(v).toMatchObject({ status: 'Running', startedAt: iso(1_000), workerId: 'worker-1', updatedAt: iso(2_000), revision: 2 });
    expect(v!.state).toMatchObject({ progress: { p: 10 }, checkpoint: { page: 2 }, attempt: 1 });
  });

  it('marks when it finished, once', () => {
    expect(
      view([
        [enqueued(), 0],
        [leased(), 1_000],
        [completed(), 5_000],
      ]),
    ).toMatchObject({ status: 'Completed', finishedAt: iso(5_000) });
    expect(
      view([
        [enqueued(), 0],
        [leased(), 1_000],
        [pauseRequested(), 2_000],
      ]),
    ).toMatchObject({ status: 'Pausing', finishedAt: null });
    expect(
      view([
        [enqueued(), 0],
        [cancelled(), 3_000],
      ]),
    ).toMatchObject({ status: 'Cancelled', finishedAt: iso(3_000) });
  });

  it('has no view for events of a task never enqueued', () => {
    expect(view([[leased(), 1_000]])).toBeNull();
  });
});
