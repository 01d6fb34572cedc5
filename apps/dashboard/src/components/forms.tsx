import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Herald } from '@herald/client';
import { errorText } from '../api';
import { useSession, useUnauthorized } from '../context';
import { formText, parseJsonField, shortId } from '../format';
import { Section, href } from '../router';

/**
 * The creating forms: define a reminder, enqueue a task, create a schedule, publish a
 * notification. Each sends what was filled in (empty fields are left out, so the API's
 * defaults apply) and shows the API's refusal as it wrote it; the new item reaches the table
 * through the live feed.
 */

interface FormProps {
  /** The id the API gave the new item. */
  onCreated: (id: string) => void;
}

const field = (data: FormData, name: string): string | undefined => formText(data, name).trim() || undefined;
const numberField = (data: FormData, name: string): number | undefined => {
  const value = field(data, name);
  return value === undefined ? undefined : Number(value);
};
/** Leaves out what was not filled in. */
const defined = <T extends Record<string, unknown>>(body: T): T =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as T;
/** A datetime-local value (the browser's zone) as an ISO instant. */
const instant = (local: string | undefined): string | undefined => (local === undefined ? undefined : new Date(local).toISOString());

function CreateForm({
  title,
  submit,
  section,
  onCreated,
  children,
}: FormProps & { title: string; section: Section; submit: (data: FormData, herald: Herald) => Promise<unknown>; children: ComponentChildren }) {
  const { herald } = useSession();
  const unauthorized = useUnauthorized();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const answer = (await submit(new FormData(form), herald)) as { id?: unknown } | null;
      const id = typeof answer?.id === 'string' ? answer.id : null;
      if (id) {
        setCreated(id);
        onCreated(id);
      }
    } catch (e) {
      if (!unauthorized(e)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="create">
      <summary>{title}</summary>
      <form onSubmit={(e) => void onSubmit(e)} aria-label={title}>
        {children}
        <div class="form-end">
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : title}
          </button>
          {created ? (
            <span class="created" role="status">
              Created <a href={href(section, created)}>{shortId(created)}</a>
            </span>
          ) : null}
        </div>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </details>
  );
}

function Field({ label, children, wide = false }: { label: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <label class={wide ? 'field wide' : 'field'}>
      <span>{label}</span>
      {children}
    </label>
  );
}

export function DefineReminderForm({ onCreated }: FormProps) {
  return (
    <CreateForm
      title="Define a reminder"
      section="reminders"
      onCreated={onCreated}
      submit={(data, herald) => {
        const dueAt = instant(field(data, 'dueAt'));
        const body = defined({
          address: field(data, 'address'),
          ...(dueAt ? { dueAt } : { seconds: numberField(data, 'seconds') ?? 0 }),
          payload: parseJsonField(formText(data, 'payload'), 'payload'),
          owner: field(data, 'owner'),
          maxAttempts: numberField(data, 'maxAttempts'),
        });
        return herald.reminders.define(body as Parameters<Herald['reminders']['define']>[0]);
      }}
    >
      <Field label="Callback address">
        <input name="address" type="url" required placeholder="https://example.com/hooks/remind" />
      </Field>
      <Field label="In seconds">
        <input name="seconds" type="number" min={0} step="any" placeholder="30" />
      </Field>
      <Field label="Or due at">
        <input name="dueAt" type="datetime-local" step={1} />
      </Field>
      <Field label="Owner">
        <input name="owner" />
      </Field>
      <Field label="Max attempts">
        <input name="maxAttempts" type="number" min={1} max={50} />
      </Field>
      <Field label="Payload (JSON)" wide>
        <textarea name="payload" rows={2} placeholder='{"orderId": 42}' />
      </Field>
    </CreateForm>
  );
}

export function EnqueueTaskForm({ onCreated }: FormProps) {
  return (
    <CreateForm
      title="Enqueue a task"
      section="tasks"
      onCreated={onCreated}
      submit={(data, herald) => {
        const tags = field(data, 'tags')
          ?.split(',')
          .map((t) => t.trim())
          .filter(Boolean);
        const body = defined({
          type: field(data, 'type'),
          params: parseJsonField(formText(data, 'params'), 'params'),
          owner: field(data, 'owner'),
          tags,
          priority: numberField(data, 'priority'),
          maxAttempts: numberField(data, 'maxAttempts'),
          runAt: instant(field(data, 'runAt')),
        });
        return herald.tasks.enqueue(body as Parameters<Herald['tasks']['enqueue']>[0]);
      }}
    >
      <Field label="Task type">
        <input name="type" required placeholder="report.export" />
      </Field>
      <Field label="Owner">
        <input name="owner" />
      </Field>
      <Field label="Tags (comma list)">
        <input name="tags" />
      </Field>
      <Field label="Priority (0–9)">
        <input name="priority" type="number" min={0} max={9} />
      </Field>
      <Field label="Max attempts">
        <input name="maxAttempts" type="number" min={1} max={50} />
      </Field>
      <Field label="Not before">
        <input name="runAt" type="datetime-local" step={1} />
      </Field>
      <Field label="Params (JSON)" wide>
        <textarea name="params" rows={2} placeholder='{"pages": 40}' />
      </Field>
    </CreateForm>
  );
}

export function CreateScheduleForm({ onCreated }: FormProps) {
  return (
    <CreateForm
      title="Create a schedule"
      section="schedules"
      onCreated={onCreated}
      submit={(data, herald) => {
        const address = field(data, 'address');
        const type = field(data, 'taskType');
        if ((address === undefined) === (type === undefined)) throw new Error('give either a callback address or a task type');
        const target = address
          ? { reminder: defined({ address, payload: parseJsonField(formText(data, 'payload'), 'payload / params') }) }
          : { task: defined({ type, params: parseJsonField(formText(data, 'payload'), 'payload / params') }) };
        const body = defined({
          cron: field(data, 'cron'),
          timeZone: field(data, 'timeZone'),
          target,
          owner: field(data, 'owner'),
          paused: data.get('paused') === 'on' ? true : undefined,
        });
        return herald.schedules.create(body as Parameters<Herald['schedules']['create']>[0]);
      }}
    >
      <Field label="Cron">
        <input name="cron" required placeholder="0 9 * * MON-FRI" />
      </Field>
      <Field label="Time zone">
        <input name="timeZone" placeholder="UTC" />
      </Field>
      <Field label="Reminder address">
        <input name="address" type="url" placeholder="https://example.com/hooks/standup" />
      </Field>
      <Field label="Or task type">
        <input name="taskType" placeholder="sync.accounts" />
      </Field>
      <Field label="Owner">
        <input name="owner" />
      </Field>
      <label class="field check">
        <input name="paused" type="checkbox" /> <span>Create paused</span>
      </label>
      <Field label="Payload / params (JSON)" wide>
        <textarea name="payload" rows={2} />
      </Field>
    </CreateForm>
  );
}

export function PublishNotificationForm({ onCreated }: FormProps) {
  return (
    <CreateForm
      title="Publish a notification"
      section="notifications"
      onCreated={onCreated}
      submit={(data, herald) => {
        const body = defined({
          channel: field(data, 'channel'),
          message: field(data, 'message'),
          data: parseJsonField(formText(data, 'data'), 'data'),
          owner: field(data, 'owner'),
        });
        return herald.notifications.publish(body as Parameters<Herald['notifications']['publish']>[0]);
      }}
    >
      <Field label="Channel">
        <input name="channel" placeholder="general" />
      </Field>
      <Field label="Owner">
        <input name="owner" />
      </Field>
      <Field label="Message" wide>
        <input name="message" required />
      </Field>
      <Field label="Data (JSON)" wide>
        <textarea name="data" rows={2} />
      </Field>
    </CreateForm>
  );
}
