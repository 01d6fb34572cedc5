import { useEffect, useMemo, useState } from 'preact/hooks';
import { createHerald, storeKey, storedKey } from '../api';
import { Session, SessionContext } from '../context';
import { FeedState, LiveFeed } from '../live';
import { RESOURCES } from '../resources';
import { SECTIONS, Section, href, useRoute } from '../router';
import { DetailView } from './detail';
import { CreateScheduleForm, DefineReminderForm, EnqueueTaskForm, PublishNotificationForm } from './forms';
import { ListView } from './list';

const FEED_LABEL: Record<FeedState, string> = {
  connecting: 'connecting…',
  live: 'live',
  retrying: 'reconnecting…',
  unauthorized: 'needs a key',
  stopped: 'stopped',
};

/**
 * The page: a tab per resource, the live feed's state, the API key. A new key (given after a
 * 401, or changed) makes a new client and a new feed, and every view loads again.
 */
export function App() {
  const route = useRoute();
  const [apiKey, setApiKey] = useState(storedKey);
  /** Why the page asks for a key (the API's 401 message), or null. */
  const [keyWanted, setKeyWanted] = useState<string | null>(null);
  const [feedState, setFeedState] = useState<FeedState>('connecting');
  const [unseen, setUnseen] = useState(0);

  const session = useMemo<Session>(() => {
    let feed: LiveFeed | null = null;
    const herald = createHerald(apiKey, () => feed?.opened());
    const unauthorized = (message: string) => setKeyWanted(message);
    feed = new LiveFeed(herald, unauthorized);
    return { herald, feed, unauthorized };
  }, [apiKey]);

  useEffect(() => {
    const { feed } = session;
    const offState = feed.onState(setFeedState);
    const offMessages = feed.subscribe((message) => {
      if (message.type === 'NotificationPublished' && location.hash.split('?')[0] !== '#/notifications') setUnseen((n) => n + 1);
    });
    feed.start();
    return () => {
      offState();
      offMessages();
      feed.stop();
    };
  }, [session]);

  useEffect(() => {
    if (route.section === 'notifications') setUnseen(0);
  }, [route.section]);

  const chooseKey = (key: string | null) => {
    storeKey(key);
    setKeyWanted(null);
    setApiKey(key);
  };

  const resource = RESOURCES[route.section];
  return (
    <SessionContext.Provider value={session}>
      <header class="top">
        <a class="brand" href="#/reminders">
          Herald
        </a>
        <nav aria-label="Sections">
          {SECTIONS.map((section) => (
            <a
              key={section}
              href={href(section)}
              class={route.section === section ? 'tab current' : 'tab'}
              aria-current={route.section === section ? 'page' : undefined}
            >
              {RESOURCES[section].title}
              {section === 'notifications' && unseen > 0 ? (
                <span class="badge" title="new since you last looked">
                  {unseen}
                </span>
              ) : null}
            </a>
          ))}
        </nav>
        <span class={`feed feed-${feedState}`} data-feed={feedState} title="the live feed (GET /api/v1/stream)">
          ● {FEED_LABEL[feedState]}
        </span>
        <button type="button" class="key-button" onClick={() => setKeyWanted('')}>
          {apiKey ? 'API key ✓' : 'API key'}
        </button>
      </header>
      <main>
        {route.id ? (
          <DetailView key={`${route.section}/${route.id}`} resource={resource} id={route.id} />
        ) : (
          <ListView key={route.section} resource={resource} query={route.query} create={<CreateFor section={route.section} />} />
        )}
      </main>
      {keyWanted !== null ? <KeyDialog reason={keyWanted} hasKey={apiKey !== null} onKey={chooseKey} onClose={() => setKeyWanted(null)} /> : null}
    </SessionContext.Provider>
  );
}

function CreateFor({ section }: { section: Section }) {
  // The new item reaches the table through the live feed (its list re-reads it from there).
  const onCreated = () => {};
  switch (section) {
    case 'reminders':
      return <DefineReminderForm onCreated={onCreated} />;
    case 'tasks':
      return <EnqueueTaskForm onCreated={onCreated} />;
    case 'schedules':
      return <CreateScheduleForm onCreated={onCreated} />;
    case 'notifications':
      return <PublishNotificationForm onCreated={onCreated} />;
  }
}

/** Asks for an API key: after a 401 (saying so), or when the user wants to change or forget it. */
function KeyDialog({
  reason,
  hasKey,
  onKey,
  onClose,
}: {
  reason: string;
  hasKey: boolean;
  onKey: (key: string | null) => void;
  onClose: () => void;
}) {
  const [key, setKey] = useState('');
  return (
    <div class="overlay">
      <form
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="key-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) onKey(key.trim());
        }}
      >
        <h2 id="key-title">API key</h2>
        {reason ? (
          <p class="error" role="alert">
            Herald refused the call: {reason}
          </p>
        ) : null}
        <p>
          This Herald has API keys: the dashboard needs one with the <code>read</code> scope to show anything, and <code>write</code> to act. It is
          kept in this tab only (sessionStorage).
        </p>
        <label class="field wide">
          <span>Key</span>
          <input name="apiKey" type="password" autoComplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} autoFocus />
        </label>
        <div class="form-end">
          <button type="submit" disabled={!key.trim()}>
            Use this key
          </button>
          {hasKey ? (
            <button type="button" onClick={() => onKey(null)}>
              Forget the key
            </button>
          ) : null}
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </div>
  );
}
