import { RABBITMQ_TEST_URL, eventually, serverAvailable } from '@herald/testing';
import { CallbackReceiver } from '../support/receiver';
import { Replicas, explainingFailure } from '../support/full-stack';
import { fullStackHooks } from '../support/full-stack-hooks';
import { ReminderMoves, expectFailedRetriggered, expectRescheduledEarlier, expectRescheduledLater } from '../support/reminder-moves';
import {
  ScheduleClient,
  callbacksToMeasure,
  expectCatchupAcrossOutage,
  expectOnTime,
  expectOverlapSkipsWhileTaskRuns,
  occurrenceLateness,
} from '../support/schedules';

const run = serverAvailable('RabbitMQ', RABBITMQ_TEST_URL);
const suite = run ? describe : describe.skip;
const TASK_TYPE = 'fs.scheduled-sync';
const GRACE_MS = 1_000;
const LEAD_MS = 1_000;

/** kill -9 of every service at once, then all of them started again (the command API first, as at the start). */
const outageOf = (r: Replicas) => ({
  kill: async () => {
    await Promise.all(r.all.map((p) => p.kill()));
  },
  restart: async () => {
    await r.commandApi.start();
    await Promise.all(r.all.slice(1).map((p) => p.start()));
  },
});

/** Schedules and reminders moving in time across separate services over RabbitMQ, with two replicas of each service but the command API. */
suite('full stack: schedules with two scheduler replicas, real RabbitMQ', () => {
  let receiver: CallbackReceiver;
  let schedules: ScheduleClient;
  let moves: ReminderMoves;

  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
  });
  afterAll(async () => {
    await receiver.stop();
  });
  const stack = fullStackHooks({ taskTypes: [TASK_TYPE] });
  beforeAll(() => {
    const r = stack();
    schedules = new ScheduleClient({ command: r.commandApi.url, query: r.queryApis[0].url });
    moves = new ReminderMoves({ command: r.commandApi.url, query: r.queryApis[1].url }, receiver);
  });

  it('fires a six-field every-2-seconds schedule once per occurrence (lateness p99 within 50 ms); pause stops it and resume restarts it', async () => {
    const created = await schedules.create({ cron: '*/2 * * * * *', target: { reminder: { address: `${receiver.url}/tick` } } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const ticks = () => receiver.received.filter((c) => c.path === '/tick');

    const measured = await callbacksToMeasure(ticks);
    const fired = (await schedules.events(id)).filter((e) => e.type === 'OccurrenceFired').map((e) => e.data.scheduledFor as string);
    // Two scheduler replicas, each occurrence decided once, at consecutive even seconds.
    expect(new Set(fired).size).toBe(fired.length);
    const instants = fired.map((f) => Date.parse(f));
    expect(instants.every((t) => t % 2_000 === 0)).toBe(true);
    expect(instants.slice(1).map((t, i) => t - instants[i])).toEqual(instants.slice(1).map(() => 2_000));
    expectOnTime(occurrenceLateness(id, measured, fired), 'over RabbitMQ');
    const ids = ticks().map((c) => c.body.reminderId);
    expect(new Set(ids).size).toBe(ids.length);

    expect((await schedules.act(id, 'pause')).status).toBe(200);
    const pausedAt = Date.now();
    const settled = await eventually(
      () => schedules.view(id),
      (s) => s.status === 'Paused',
      { what: 'the read side shows it paused' },
    );
    expect(settled.nextRunAt).toBeNull();
    expect((await schedules.act(id, 'resume')).status).toBe(200);
    await eventually(
      () => ticks().filter((c) => c.at > pausedAt + 1_000),
      (c) => c.length >= 1,
      { what: 'a callback after resuming', timeoutMs: 10_000 },
    );
    expect((await schedules.act(id, 'pause')).status).toBe(200);
  }, 60_000);

  it('runs a task target with overlap skip: occurrences are skipped while a slow worker holds the task, and fire again once it finished', () =>
    expectOverlapSkipsWhileTaskRuns(schedules, TASK_TYPE));

  it('reschedules a reminder earlier: it fires at the new time, once, and not at the old one', () => expectRescheduledEarlier(moves));

  it('reschedules a reminder later: nothing fires at the old time, it fires at the new one', () => expectRescheduledLater(moves));

  it('retriggers a failed reminder: it fires again from attempt 1 and completes', () => expectFailedRetriggered(moves));
});

/** Herald down for 10 s: every service SIGKILLed at once, its own stack and receiver, after the suite above has stopped its own. */
suite('full stack: schedules across a kill -9 of every service for 10 s, real RabbitMQ', () => {
  let receiver: CallbackReceiver;
  beforeAll(async () => {
    receiver = await new CallbackReceiver().start();
  });
  afterAll(async () => {
    await receiver.stop();
  });
  const stack = fullStackHooks({ env: { SCHEDULE_CATCHUP_GRACE_MS: String(GRACE_MS), SCHEDULE_LEAD_MS: String(LEAD_MS) } });

  it('applies skip, latest and all (catchupMax 3) to the occurrences missed while down, then fires on time again', async () => {
    const r = stack();
    await explainingFailure(r, () =>
      expectCatchupAcrossOutage(
        new ScheduleClient({ command: r.commandApi.url, query: r.queryApis[0].url }),
        receiver,
        { graceMs: GRACE_MS, leadMs: LEAD_MS },
        outageOf(r),
      ),
    );
  }, 90_000);
});
