import { Injectable, Module } from '@nestjs/common';
import { Metrics } from '@herald/platform';
import { CommandRunner } from '@herald/runtime';
import { ScheduleEvent } from './domain';
import { SCHEDULE } from './schedule-aggregate';

export type OccurrenceOutcome = 'fired' | 'skipped' | 'missed' | 'buffered' | 'withdrawn';

/**
 * The occurrences a schedule command decided, by outcome: one per
 * OccurrenceFired (a manual trigger and a buffered occurrence firing later
 * included), OccurrenceSkipped, OccurrenceBuffered and OccurrenceWithdrawn; an OccurrencesMissed
 * counts its `count` (a lower bound past 10,000, as the event says).
 */
export function occurrenceOutcomes(events: readonly ScheduleEvent[]): Partial<Record<OccurrenceOutcome, number>> {
  const counts: Partial<Record<OccurrenceOutcome, number>> = {};
  const add = (outcome: OccurrenceOutcome, n: number) => (counts[outcome] = (counts[outcome] ?? 0) + n);
  for (const e of events) {
    if (e.type === 'OccurrenceFired') add('fired', 1);
    else if (e.type === 'OccurrenceSkipped') add('skipped', 1);
    else if (e.type === 'OccurrenceBuffered') add('buffered', 1);
    else if (e.type === 'OccurrencesMissed') add('missed', e.data.count);
    else if (e.type === 'OccurrenceWithdrawn') add('withdrawn', 1);
  }
  return counts;
}

/** Runners already observed: a second ScheduleMetrics on the same runner must not count twice. */
const observed = new WeakSet<CommandRunner>();

/**
 * `herald_schedule_occurrences_total{outcome}`, counted where the decisions
 * are appended (CommandRunner.observe): the scheduler's due-occurrence
 * consumer, a manual trigger in the command API, a buffered occurrence
 * fired when its task finished. Once per decision across the cluster: the
 * decisions carry command ids derived from their timer entry or task, so a
 * redelivered entry is recognised as applied before and not counted again.
 */
@Injectable()
export class ScheduleMetrics {
  constructor(commands: CommandRunner, metrics: Metrics) {
    const occurrences = metrics.counter({
      name: 'herald_schedule_occurrences_total',
      help: 'Schedule occurrences decided, by outcome: fired (manual triggers included), skipped (overlap), missed (while Herald was down, not caught up), buffered (held by overlap bufferOne; fired later, counted again as fired), withdrawn (decided ahead, then paused or deleted before its time; counted before as fired or buffered).',
      labelNames: ['outcome'],
    });
    if (observed.has(commands)) return;
    observed.add(commands);
    commands.observe(SCHEDULE, ({ events }) => {
      for (const [outcome, n] of Object.entries(occurrenceOutcomes(events))) occurrences.inc({ outcome }, n);
    });
  }
}

/** Imported by the schedule modules that run schedule commands; one ScheduleMetrics per app. */
@Module({ providers: [ScheduleMetrics] })
export class ScheduleMetricsModule {}
