import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Herald, HistoryEvent, ScheduleRun } from '@herald/client';
import { errorText, isAbort } from '../api';
import { useFeed, useFeedOpen, useSession, useTicking, useUnauthorized } from '../context';
import { formatTime, json, relativeTime, text } from '../format';
import { Action, Item, Progress, Resource, StatusBadge, targetText } from '../resources';
import { href } from '../router';
import { follow, isNewer } from '../sync';
import { ActionButtons } from './actions';

/** What a detail view shows besides the item: its timeline, and a schedule's next and past runs. */
interface Extras {
  readonly events: readonly HistoryEvent[] | null;
  readonly nextRuns?: readonly string[];
  readonly runs?: readonly ScheduleRun[];
}

async function readExtras(resource: Resource, herald: Herald, id: string): Promise<Extras> {
  switch (resource.category) {
    case 'reminder':
      return { events: await herald.reminders.events(id) };
    case 'task':
      return { events: await herald.tasks.events(id) };
    case 'schedule': {
      const [events, preview, runs] = await Promise.all([
        herald.schedules.events(id),
        herald.schedules.preview(id, { count: 5 }),
        herald.schedules.runs(id, { limit: 10 }),
      ]);
      return { events, nextRuns: preview.occurrences, runs: runs.items };
    }
    case 'notification':
      return { events: null };
  }
}

/**
 * One item: its fields, a task's progress, a schedule's next runs and past runs, every action of
 * its kind (the API says which its state allows; a refusal shows its message) and its event
 * timeline from `/events`. Live: a feed message about it re-reads all of these.
 */
export function DetailView({ resource, id }: { resource: Resource; id: string }) {
  const { herald } = useSession();
  const unauthorized = useUnauthorized();
  const [item, setItem] = useState<Item | null>(null);
  const [extras, setExtras] = useState<Extras>({ events: null });
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const follows = useRef(new AbortController());
  useEffect(() => () => follows.current.abort(), []);

  // Answers may arrive out of order (a slow read overtaken by a later one): each read is numbered when it
  // starts, and an answer to a read started before the one shown is ignored.
  const order = useRef({ itemStarted: 0, itemShown: 0, extrasStarted: 0, extrasShown: 0, numbers: new WeakMap<Item, number>() });
  const numbered: Resource = {
    ...resource,
    get: async (h, itemId) => {
      const n = ++order.current.itemStarted;
      const read = await resource.get(h, itemId);
      order.current.numbers.set(read, n);
      return read;
    },
  };
  const apply = (next: Item) => {
    // An action's answer (not numbered) is as new as a read starting now.
    const n = order.current.numbers.get(next) ?? ++order.current.itemStarted;
    if (n < order.current.itemShown) return;
    order.current.itemShown = n;
    setItem((current) => (current && !isNewer(resource, next, current) ? current : next));
  };
  const reportError = (e: unknown) => {
    if (isAbort(e) || unauthorized(e)) return;
    setError(errorText(e));
  };
  const reloadExtras = () => {
    const n = ++order.current.extrasStarted;
    return readExtras(resource, herald, id).then((next) => {
      if (follows.current.signal.aborted || n < order.current.extrasShown) return;
      order.current.extrasShown = n;
      setExtras(next);
    }, reportError);
  };

  useEffect(() => {
    let live = true;
    setError(null);
    numbered.get(herald, id).then((next) => live && apply(next), reportError);
    void reloadExtras();
    return () => {
      live = false;
    };
  }, [herald, resource, id, reloads]);

  const refresh = (recordedAt?: string) => {
    follow(numbered, herald, id, recordedAt, apply, follows.current.signal).catch(reportError);
    void reloadExtras();
  };
  useFeed((message) => {
    if (message.category === resource.category && message.resourceId === id) refresh(message.recordedAt);
  });
  useFeedOpen(() => setReloads((n) => n + 1));
  useTicking();

  return (
    <section class="detail" aria-label={`${resource.singular} ${id}`} data-id={id} data-status={item?.status}>
      <p class="crumbs">
        <a href={href(resource.section)}>← {resource.title}</a>
      </p>
      <h1>
        {resource.singular[0].toUpperCase() + resource.singular.slice(1)} <code>{id}</code>{' '}
        {item?.status ? <StatusBadge status={item.status} /> : null}
      </h1>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {item ? (
        <div class="detail-grid">
          <div>
            {resource.category === 'task' ? (
              <div class="panel">
                <h2>Progress</h2>
                <Progress progress={item.progress} />
                {item.checkpoint !== null && item.checkpoint !== undefined ? <p class="muted">checkpoint {json(item.checkpoint)}</p> : null}
              </div>
            ) : null}
            {resource.category !== 'notification' ? (
              <div class="panel">
                <h2>Actions</h2>
                <DetailActions resource={resource} item={item} onDone={(answer) => (answer ? apply(answer) : refresh())} />
              </div>
            ) : null}
            {extras.nextRuns ? <NextRuns occurrences={extras.nextRuns} status={item.status} /> : null}
            {extras.runs ? <Runs runs={extras.runs} /> : null}
            <Fields item={item} />
          </div>
          {extras.events ? <Timeline events={extras.events} /> : null}
        </div>
      ) : !error ? (
        <p class="muted">Loading…</p>
      ) : null}
    </section>
  );
}

function Fields({ item }: { item: Item }) {
  return (
    <div class="panel">
      <h2>Fields</h2>
      <dl class="fields">
        {Object.entries(item).map(([name, value]) => (
          <div key={name} data-field={name}>
            <dt>{name}</dt>
            <dd>
              {name === 'target' ? <span class="muted">{targetText(value)} </span> : null}
              {typeof value === 'object' && value !== null ? <pre>{json(value, 2)}</pre> : <code>{value === null ? 'null' : text(value)}</code>}
              {typeof value === 'string' && /At$|^scheduledFor$/.test(name) ? <span class="muted"> {relativeTime(value)}</span> : null}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function NextRuns({ occurrences, status }: { occurrences: readonly string[]; status: string | undefined }) {
  return (
    <div class="panel">
      <h2>Next runs</h2>
      {status === 'Paused' ? <p class="note">Paused: these run only if it is resumed before them.</p> : null}
      {status === 'Ended' ? <p class="note">Ended: it runs no more.</p> : null}
      {occurrences.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ol class={status === 'Active' ? 'next-runs' : 'next-runs muted'}>
          {occurrences.map((at) => (
            <li key={at}>
              <time dateTime={at} title={at}>
                {formatTime(at)}
              </time>{' '}
              <span class="muted">{relativeTime(at)}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function Runs({ runs }: { runs: readonly ScheduleRun[] }) {
  return (
    <div class="panel">
      <h2>Latest runs</h2>
      {runs.length === 0 ? (
        <p class="muted">No runs yet.</p>
      ) : (
        <table class="runs">
          <thead>
            <tr>
              <th>For</th>
              <th>Outcome</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={`${run.scheduledFor}-${run.outcome}`}>
                <td>{formatTime(run.scheduledFor)}</td>
                <td>
                  {run.outcome}
                  {run.manual ? ' (manual)' : ''}
                </td>
                <td>
                  {run.reminderId ? <a href={href('reminders', run.reminderId)}>reminder</a> : null}
                  {run.taskId ? <a href={href('tasks', run.taskId)}>task</a> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Timeline({ events }: { events: readonly HistoryEvent[] }) {
  return (
    <div class="panel">
      <h2>Timeline</h2>
      <ol class="timeline">
        {events.map((event) => (
          <li key={event.revision} data-type={event.type}>
            <div class="event-head">
              <span class="revision">#{event.revision}</span> <strong class="event-type">{event.type}</strong>{' '}
              <time dateTime={event.recordedAt} title={event.recordedAt} class="muted">
                {formatTime(event.recordedAt)}
              </time>
            </div>
            <details>
              <summary>data</summary>
              <pre>{json(event.data, 2)}</pre>
              {event.traceparent ? <p class="muted">traceparent {event.traceparent}</p> : null}
            </details>
          </li>
        ))}
      </ol>
    </div>
  );
}

/**
 * A reschedule's body from the seconds field. A blank field (what a number input holds when emptied
 * or not a number) sends no time, so the API refuses it and says what it needs: read as 0, it would
 * make the reminder due at once.
 */
function dueIn(seconds: string): { seconds?: number } {
  return seconds.trim() === '' ? {} : { seconds: Number(seconds) };
}

/** Every action of the item's kind, with the inputs they take; the API decides whether its state allows it. */
function DetailActions({ resource, item, onDone }: { resource: Resource; item: Item; onDone: (answer: Item | null) => void }) {
  const [reason, setReason] = useState('');
  const [seconds, setSeconds] = useState('60');
  const [fromCheckpoint, setFromCheckpoint] = useState(true);
  const id = item.id;
  const why = () => (reason.trim() ? { reason: reason.trim() } : undefined);
  let actions: Action[];
  let inputs: ComponentChildren;
  switch (resource.category) {
    case 'reminder':
      actions = [
        { label: 'Cancel', run: (h) => h.reminders.cancel(id) },
        { label: 'Reschedule', run: (h) => h.reminders.reschedule(id, dueIn(seconds)) },
        { label: 'Retrigger', run: (h) => h.reminders.retrigger(id) },
      ];
      inputs = (
        <label class="field">
          <span>Reschedule to, in seconds from now</span>
          <input type="number" min={0} step="any" value={seconds} onInput={(e) => setSeconds(e.currentTarget.value)} />
        </label>
      );
      break;
    case 'task':
      actions = [
        { label: 'Pause', run: (h) => h.tasks.pause(id, why()) },
        { label: 'Resume', run: (h) => h.tasks.resume(id, why()) },
        { label: 'Cancel', run: (h) => h.tasks.cancel(id, why()) },
        { label: 'Retrigger', run: (h) => h.tasks.retrigger(id, { fromCheckpoint }) },
      ];
      inputs = (
        <>
          <label class="field">
            <span>Reason (optional)</span>
            <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <label class="field check">
            <input type="checkbox" checked={fromCheckpoint} onChange={(e) => setFromCheckpoint(e.currentTarget.checked)} />
            <span>Retrigger from the checkpoint</span>
          </label>
        </>
      );
      break;
    case 'schedule':
      actions = [
        { label: 'Pause', run: (h) => h.schedules.pause(id, reason.trim() ? { note: reason.trim() } : undefined) },
        { label: 'Resume', run: (h) => h.schedules.resume(id) },
        { label: 'Trigger now', run: (h) => h.schedules.trigger(id) },
        {
          label: 'Delete',
          run: async (h) => (confirm(`Delete schedule ${id}? It will not run again; its history stays.`) ? h.schedules.remove(id) : null),
        },
      ];
      inputs = (
        <label class="field">
          <span>Pause note (optional)</span>
          <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
      );
      break;
    default:
      return null;
  }
  return (
    <div class="detail-actions">
      <div class="inputs">{inputs}</div>
      <ActionButtons id={id} actions={actions} onDone={onDone} />
    </div>
  );
}
