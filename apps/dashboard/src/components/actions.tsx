import { useState } from 'preact/hooks';
import { errorText } from '../api';
import { useSession, useUnauthorized } from '../context';
import type { Action, Item } from '../resources';

/** The item an action answered, if it answered one (cancelling a reminder answers 204: nothing). */
export function answeredItem(answer: unknown, id: string): Item | null {
  return typeof answer === 'object' && answer !== null && (answer as Item).id === id ? (answer as Item) : null;
}

/**
 * Buttons running API actions on one item. While one runs the buttons wait; a refusal shows the
 * API's message (status and text) until the next try; a 401 asks the page for a key.
 */
export function ActionButtons({ id, actions, onDone }: { id: string; actions: readonly Action[]; onDone: (item: Item | null) => void }) {
  const { herald } = useSession();
  const unauthorized = useUnauthorized();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: Action) => {
    setBusy(action.label);
    setError(null);
    try {
      onDone(answeredItem(await action.run(herald), id));
    } catch (e) {
      if (!unauthorized(e)) setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  if (actions.length === 0) return null;
  return (
    <div class="actions">
      {actions.map((action) => (
        <button type="button" key={action.label} disabled={busy !== null} onClick={() => void run(action)}>
          {busy === action.label ? `${action.label}…` : action.label}
        </button>
      ))}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
