import fc from 'fast-check';
import type { Database } from 'better-sqlite3';
import { IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { SQLITE } from '@herald/runtime';
import { RunningHerald, removeDataDir, startHerald } from '../support/herald';
import { servedRoutes } from '../support/served-routes';

/**
 * Property-based fuzzing of every HTTP route of the all-in-one app: random and
 * malformed bodies, content types, path ids, query strings and headers. For
 * every request:
 *
 *   1. never a 5xx;
 *   2. a refused request (4xx) writes nothing: the log's event count is the
 *      same after it as just before it;
 *   3. a refusal has the common error shape { statusCode, error, code, message }
 *      with a non-empty message, and
 *   4. its statusCode is the HTTP status;
 *   5. nothing reaches Object.prototype (the server runs in this process).
 *
 * The live feed (GET /api/v1/stream) answers a valid request with an event
 * stream that never ends: the fuzzer reads the head and the first line of a
 * 200 text/event-stream answer, then closes the connection.
 *
 * One Herald serves the whole file. A request that succeeds (2xx) may write;
 * whatever it left that could write later by itself (a reminder due soon, a
 * task a worker could lease, a schedule) is then cancelled or deleted before
 * the next request, so every refused request is measured against a quiet log.
 *
 * Every property runs from one fixed seed, which fast-check prints with a
 * failure. Replay a route with HERALD_FUZZ_SEED=<seed> npx jest <this file>
 * -t '<METHOD /path>'; HERALD_FUZZ_RUNS=<n> runs more (or fewer) cases, and
 * HERALD_FUZZ_STATS=1 prints what each route answered (which code paths the
 * fuzzer reached). Values relative to now (due times) and the fixtures' ids
 * differ between runs, so a replay is close, not byte for byte.
 */

const SEED = Number(process.env.HERALD_FUZZ_SEED ?? 20261124);
const STATS = process.env.HERALD_FUZZ_STATS === '1';
const NUM_RUNS = Number(process.env.HERALD_FUZZ_RUNS ?? 400);
const BODY_LIMIT_BYTES = 64 * 1024;
const PAYLOAD_MAX_BYTES = 4 * 1024;

const ADMIN_KEY = 'fuzz-admin-0123456789abcdef0123456789';
const OWNER_KEY = 'fuzz-owner-0123456789abcdef0123456789';
const READER_KEY = 'fuzz-reader-0123456789abcdef012345678';
const API_KEYS = [
  { id: 'fuzz-admin', key: ADMIN_KEY, scopes: ['admin'] },
  { id: 'fuzz-owner', key: OWNER_KEY, scopes: ['read', 'write', 'work'], owner: 'fuzz-owner' },
  { id: 'fuzz-reader', key: READER_KEY, scopes: ['read'] },
];
const ADDRESS = 'http://127.0.0.1:9/hook';
/** A marker a prototype-pollution payload tries to plant on Object.prototype. */
const POLLUTED = 'heraldFuzzPolluted';

// ---------------------------------------------------------------------------
// Fixtures: ids of resources that exist, created in beforeAll. Arbitraries read
// them when they generate, which is after beforeAll.

const fixtures = {
  reminder: [] as string[],
  task: [] as string[],
  /** Schedules any route may be sent: a deleted one (every action is a 409 after validation). */
  schedule: [] as string[],
  /** Schedules only reads are sent: an active one, whose actions would succeed and fire. */
  scheduleReadOnly: [] as string[],
  /** Notifications (published once, never changed: nothing to protect). */
  notification: [] as string[],
};

type IdKind = 'reminder' | 'task' | 'schedule' | 'scheduleRead' | 'token' | 'notification';

// ---------------------------------------------------------------------------
// Values

/** encodeURIComponent of the string's UTF-8 bytes: a lone surrogate becomes U+FFFD instead of throwing URIError. */
const enc = (s: string) => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));

const STRING_CONSTANTS = [
  '',
  ' ',
  '\t',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e3',
  'NaN',
  'Infinity',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '$where',
  "' OR 1=1 --",
  '"; DROP TABLE events; --',
  '%s%s%s%n',
  '../../../etc/passwd',
  '\u0000',
  '\ud800',
  '\ufeff',
  '\u202e',
  '😀',
  'é',
  'http://',
  'http://[::1',
  'http://127.0.0.1:9/hook',
  'http://169.254.169.254/latest/meta-data',
  'http://0.0.0.0/',
  'http://[::]/',
  'http://224.0.0.1/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'https://user:pass@example.com:99999/',
  'Europe/Berlin',
  'Mars/Olympus_Mons',
  '+01:00',
  '* * * * *',
  'complete',
  'fail',
  'release',
  'Active',
  'Queued',
];

/** Either side of the domain's bounds on due times: 24 hours in the past, 10 years ahead; and the epoch. */
const boundaryDate = fc
  .constantFrom(-25, -23, 87_590, 87_700, 1e6, -Date.now() / 3_600_000)
  .map((hours) => new Date(Date.now() + hours * 3_600_000).toISOString());

/** Date-time strings of every ISO-8601 form a validator might accept and `new Date` might not (week, ordinal, basic, 24:00…). */
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const isoDateish: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  },
  { weight: 2, arbitrary: fc.integer({ min: -3 * 86_400_000, max: 400 * 86_400_000 }).map((ms) => new Date(Date.now() + ms).toISOString()) },
  { weight: 2, arbitrary: boundaryDate },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.oneof(
          fc.constantFrom('2026', '2027', '0000', '9999', '+2026', '-2026', '+002026'),
          fc.integer({ min: 0, max: 9999 }).map((y) => pad(y, 4)),
        ),
        fc.oneof(
          fc.tuple(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([m, d]) => `-${pad(m)}-${pad(d)}`),
          fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })).map(([m, d]) => `${pad(m)}${pad(d)}`),
          fc
            .tuple(fc.integer({ min: 0, max: 54 }), fc.option(fc.integer({ min: 0, max: 8 })))
            .map(([w, d]) => `-W${pad(w)}${d === null ? '' : `-${d}`}`),
          fc.integer({ min: 0, max: 367 }).map((d) => `-${pad(d, 3)}`),
          fc.integer({ min: 1, max: 12 }).map((m) => `-${pad(m)}`),
        ),
        fc.option(
          fc.oneof(
            fc
              .tuple(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }))
              .map(([h, m, s]) => `T${pad(h)}:${pad(m)}:${pad(s)}`),
            fc.constantFrom(
              'T24:00',
              'T24:00:00',
              'T10',
              'T10:00',
              'T1000',
              'T10:00:00.5',
              'T10:00:00,5',
              'T10:00:00.123456789',
              ' 10:00:00',
              't10:00:00',
            ),
          ),
        ),
        fc.option(fc.constantFrom('Z', 'z', '+00:00', '-00:00', '+14:00', '-12:00', '+23:59', '-23:59', '+24:00', '+99:99', '+0100', '+01', '+1:00')),
      )
      .map(([y, d, t, z]) => `${y}${d}${t ?? ''}${z ?? ''}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2026-W48-2T10:00:00Z',
      '2027-W01-1T00:00:00Z',
      '2026-328T10:00:00Z',
      '2026-11-24T24:00:00Z',
      '+2026-11-24T10:00:00Z',
      '20261124T100000Z',
      '2026-11-24T10:00:00.000+14:00',
      '9999-12-31T23:59:59.999Z',
      '0000-01-01T00:00:00Z',
      '2026-02-29T00:00:00Z',
      'tomorrow',
    ),
  },
);

const awkwardString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...STRING_CONSTANTS) },
  { weight: 2, arbitrary: isoDateish },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 6_000 }).map((n) => 'y'.repeat(n)) },
);

const awkwardScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, -1, 0.5, 1.5, 1e21, -1e21, Number.MAX_SAFE_INTEGER + 2, 1e308, 5e-324, 2 ** 31, 30_001, 600_001),
  awkwardString,
);

const awkwardKey: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    '',
    ' ',
    'when',
    'id',
    'type',
    'status',
    'owner',
    '$gt',
    'a.b',
    '0',
    'length',
  ),
);

const awkwardValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: awkwardScalar },
  { weight: 1, arbitrary: fc.array(awkwardScalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(awkwardKey, awkwardScalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** JSON number and value tokens JSON.stringify never writes (1e999 parses as Infinity). */
const rawToken = fc.constantFrom(
  '1e999',
  '-1e999',
  '1e-999',
  '-0',
  '100000000000000000000000',
  '0.00000000000000000000001',
  '[]',
  '{}',
  '""',
  '[null]',
  '[[]]',
  '{"":""}',
);

const futureIso = fc.integer({ min: 2 * 86_400_000, max: 300 * 86_400_000 }).map((ms) => new Date(Date.now() + ms).toISOString());
const reasonArb = fc.string({ maxLength: 60 });
const jsonPayload = fc.jsonValue({ maxDepth: 2 });

const VALID_TIME_ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Australia/Lord_Howe',
  'Etc/GMT+12',
  'Pacific/Kiritimati',
  'America/Santiago',
  'Africa/Casablanca',
  'Asia/Tehran',
  'EST5EDT',
  'Etc/GMT-14',
];
const ODD_TIME_ZONES = [
  '+01:00',
  '-23:59',
  '+14:00',
  'utc',
  'europe/berlin',
  'Europe/Berlin ',
  'GMT+1',
  'Etc/GMT+13',
  'Local',
  'Z',
  'US/Pacific-New',
  'Factory',
  '',
];
/** Valid crons of every kind: frequent, never firing (30 February), L, W, #, 6 fields. Only previews get these. */
const PREVIEW_CRONS = [
  '* * * * *',
  '* * * * * *',
  '0 9 * * MON-FRI',
  '30 2 * * *',
  '0 0 30 2 *',
  '0 0 31 4 *',
  '0 0 29 2 *',
  '59 59 23 31 12 *',
  '0 0 L * *',
  '0 0 * * 5#5',
  '0 0 1W * *',
  '*/7 */3 * * *',
  '0 0 1 1 *',
  '0 0 * * 7',
  '0 0 1-31/2 * SUN',
];

// ---------------------------------------------------------------------------
// Bodies

type Json = unknown;
type Path = (string | number)[];

/** Every position inside a JSON value (objects and arrays, a few levels down). */
function pathsOf(value: Json, prefix: Path = [], depth = 0): Path[] {
  if (depth > 4 || value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k], depth + 1)]);
}

/** The object containers of a value (the root included), where an unknown field can be added. */
function containersOf(value: Json): Path[] {
  const all: Path[] = [[], ...pathsOf(value)];
  return all.filter((p) => {
    const v = getAt(value, p);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  });
}

function getAt(value: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], value);
}

const REMOVE = Symbol('remove');

/** A copy of `value` with `path` set (as an own property, even `__proto__`) or removed. */
function withAt(value: Json, path: Path, replacement: unknown): Json {
  const copy = structuredClone(value);
  if (path.length === 0) return replacement === REMOVE ? undefined : replacement;
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, Json>;
  const key = path[path.length - 1];
  if (replacement === REMOVE) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else {
    Object.defineProperty(parent, key, { value: replacement, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const MARKER = '\u0001fuzz-marker\u0001';
const markerText = JSON.stringify(MARKER);

interface BodySpec {
  readonly what: string;
  readonly text: string | Buffer;
}

/** What one route's body arbitrary is built from. */
interface BodyModel {
  /** Bodies the route accepts (the fuzzer breaks them); `{}` for routes with an optional or no body. */
  readonly valid: fc.Arbitrary<Record<string, Json>>;
  /** Fields the route knows besides those `valid` sets: each may be added with a wrong value. */
  readonly extraFields?: readonly string[];
  /** Keeps a generated body harmless to send (a valid long-poll waitMs would make the run wait). */
  readonly tame?: (body: Json) => Json;
}

/** A position in `body` to break: an existing one, or a known field it does not set. */
function targetPaths(body: Json, extra: readonly string[]): Path[] {
  const existing = pathsOf(body);
  const added = extra.filter((f) => !(body && typeof body === 'object' && f in body)).map((f) => [f]);
  return [...existing, ...added];
}

/** A value of the same JSON type as `current` but likely out of its range or form: what gets past the types to the domain's rules. */
function sameTypeValue(current: Json): fc.Arbitrary<Json> {
  if (typeof current === 'string')
    return fc.oneof(
      { weight: 3, arbitrary: isoDateish },
      { weight: 2, arbitrary: awkwardString },
      { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    );
  if (typeof current === 'number')
    return fc.oneof(fc.integer({ min: -1_000, max: 1_000 }), fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e9, 0.5, 2 ** 31));
  if (typeof current === 'boolean') return fc.boolean();
  if (Array.isArray(current)) return fc.array(awkwardScalar, { maxLength: 3 });
  return awkwardValue;
}

function bodyArbitrary(model: BodyModel): fc.Arbitrary<BodySpec> {
  const tame = model.tame ?? ((b: Json) => b);
  const extra = model.extraFields ?? [];
  const json = (what: string, value: Json): BodySpec => ({ what, text: JSON.stringify(tame(value)) ?? '' });
  /** `value` with the marker at one position, then that JSON text replaced by `raw`. */
  const spliced = (what: string, value: Json, path: Path, raw: string): BodySpec => ({
    what,
    text: (JSON.stringify(tame(withAt(value, path, MARKER))) ?? '').replace(markerText, () => raw),
  });
  const pickPath = (body: Json) => {
    const paths = targetPaths(body, extra);
    return paths.length === 0 ? fc.constant<Path>(['payload']) : fc.constantFrom(...paths);
  };

  return fc.oneof(
    { weight: 3, arbitrary: model.valid.map((v) => json('a valid body', v)) },
    {
      weight: 5,
      arbitrary: model.valid.chain((v) => {
        const paths = pathsOf(v);
        if (paths.length === 0) return fc.constant(json('a valid body', v));
        return fc
          .constantFrom(...paths)
          .chain((path) =>
            sameTypeValue(getAt(v, path)).map((bad) => json(`${path.join('.')} replaced by a value of its type`, withAt(v, path, bad))),
          );
      }),
    },
    {
      weight: 3,
      arbitrary: model.valid.chain((v) => {
        const dates = pathsOf(v).filter((path) => {
          const value = getAt(v, path);
          return typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value);
        });
        if (dates.length === 0) return fc.constant(json('a valid body', v));
        return fc
          .tuple(fc.constantFrom(...dates), boundaryDate)
          .map(([path, date]) => json(`${path.join('.')} moved to ${date}`, withAt(v, path, date)));
      }),
    },
    {
      weight: 5,
      arbitrary: model.valid.chain((v) =>
        fc.tuple(pickPath(v), awkwardValue).map(([path, bad]) => json(`${path.join('.')} replaced by a wrong value`, withAt(v, path, bad))),
      ),
    },
    {
      weight: 1,
      arbitrary: model.valid.chain((v) => {
        const paths = pathsOf(v);
        return paths.length === 0
          ? fc.constant(json('a valid body', v))
          : fc.constantFrom(...paths).map((path) => json(`${path.join('.')} removed`, withAt(v, path, REMOVE)));
      }),
    },
    {
      weight: 2,
      arbitrary: model.valid.chain((v) =>
        fc
          .tuple(fc.constantFrom(...containersOf(v)), awkwardKey, awkwardValue)
          .map(([at, key, bad]) => json(`an unknown field ${JSON.stringify(key)} at ${at.join('.') || 'the top'}`, withAt(v, [...at, key], bad))),
      ),
    },
    {
      weight: 2,
      arbitrary: model.valid.chain((v) => fc.tuple(pickPath(v), rawToken).map(([path, raw]) => spliced(`${path.join('.')} = ${raw}`, v, path, raw))),
    },
    { weight: 1, arbitrary: awkwardValue.map((v) => json('a JSON value that is not the body', v)) },
    { weight: 2, arbitrary: malformedJson(model.valid) },
    { weight: 1, arbitrary: model.valid.chain((v) => pollution(v, pickPath(v))) },
    {
      weight: 1,
      arbitrary: model.valid.chain((v) =>
        fc
          .tuple(pickPath(v), fc.integer({ min: 50, max: 25_000 }), fc.boolean())
          .map(([path, depth, arrays]) =>
            spliced(
              `${path.join('.')} nested ${depth} deep`,
              v,
              path,
              arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
            ),
          ),
      ),
    },
    {
      weight: 1,
      arbitrary: model.valid.chain((v) =>
        fc
          .tuple(pickPath(v), fc.integer({ min: 1_000, max: BODY_LIMIT_BYTES + 16_000 }))
          .map(([path, n]) => spliced(`${path.join('.')} a string of ${n} characters`, v, path, JSON.stringify('z'.repeat(n)))),
      ),
    },
    {
      weight: 1,
      arbitrary: model.valid.map((v) => {
        const text = JSON.stringify(tame(v));
        const cut = Math.max(1, text.indexOf(':') + 1);
        return {
          what: 'bytes that are not UTF-8',
          text: Buffer.concat([
            Buffer.from(text.slice(0, cut)),
            Buffer.from([0x22, 0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x22, 0x2c]),
            Buffer.from(text.slice(cut)),
          ]),
        };
      }),
    },
    { weight: 1, arbitrary: fc.constant<BodySpec>({ what: 'an empty body', text: '' }) },
  );
}

function malformedJson(valid: fc.Arbitrary<Record<string, Json>>): fc.Arbitrary<BodySpec> {
  return fc.oneof(
    valid.chain((v) => {
      const text = JSON.stringify(v);
      return fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((n) => ({ what: `valid JSON cut at ${n}`, text: text.slice(0, n) }));
    }),
    fc.string({ maxLength: 40 }).map((text) => ({ what: 'random text', text })),
    fc
      .constantFrom(
        '{',
        '}',
        '{"a":}',
        "{'a':1}",
        '{"a":1,}',
        '[1,2',
        'NaN',
        'undefined',
        '{"a":1}{"b":2}',
        '\ufeff{}',
        '{"a":"\\x41"}',
        '{"a":"\\ud800"}',
        '{"a":1e999}',
        '01',
        ' ',
        '\t\n',
        'null',
        'true',
        '"text"',
        '123',
        '[]',
        '[{}]',
        '{"":1}',
        '{"a":"\u0000"}',
        '{"a" 1}',
        '{a:1}',
        '/* comment */ {}',
        '{"__proto__":null}',
      )
      .map((text) => ({ what: 'malformed or odd JSON', text })),
  );
}

/** Prototype-pollution attempts, at the top or inside a field, plain or with escaped key names. */
function pollution(valid: Json, pathArb: fc.Arbitrary<Path>): fc.Arbitrary<BodySpec> {
  const planted = `{"${POLLUTED}":true}`;
  const payloads = [
    `{"__proto__":${planted}}`,
    `{"constructor":{"prototype":${planted}}}`,
    `{"\\u005f_proto__":${planted}}`,
    `{"__pro\\u0074o__":${planted}}`,
    `{"constructor":{"prototype":null}}`,
    `[{"__proto__":${planted}}]`,
  ];
  return fc.oneof(
    fc.constantFrom(...payloads).map((p) => ({ what: 'a pollution payload as the body', text: p })),
    fc.constantFrom(...payloads).map((p) => {
      const text = JSON.stringify(valid);
      return { what: 'a pollution key at the top of a valid body', text: text === '{}' ? p : `${p.slice(0, -1)},${text.slice(1)}` };
    }),
    fc.tuple(pathArb, fc.constantFrom(...payloads)).map(([path, p]) => ({
      what: `a pollution payload in ${path.join('.')}`,
      text: (JSON.stringify(withAt(valid, path, MARKER)) ?? '').replace(markerText, () => p),
    })),
  );
}

// ---------------------------------------------------------------------------
// Paths, queries, headers

const uuidLike = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => `{${u}}`),
  fc.uuid().map((u) => `urn:uuid:${u}`),
  fc.uuid().map((u) => `${u}0`),
  fc.uuid().map((u) => u.slice(1)),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'),
);

/** Path segments sent exactly as written: malformed percent-encodings, dot segments, separators. */
const RAW_SEGMENTS = [
  '',
  '.',
  '..',
  '%2e%2e',
  '%2E',
  '%2F',
  'a%2Fb',
  '%',
  '%%',
  '%zz',
  '%E0%A4%A',
  '%C0%AF',
  '%FF',
  '%00',
  '%0A',
  '%0D%0A',
  '%20',
  '+',
  'null',
  'undefined',
  '0',
  '-1',
  '1e3',
  '__proto__',
  'constructor',
  'preview',
  'events',
  '%3F',
  '%23',
  'a;b',
  'a,b',
  '*',
  '~',
  "'",
  '"',
  '%22%3E%3Cscript%3E',
  '..%2F..%2F',
  '%u0041',
  '%EF%BB%BF',
];

function fixtureIds(kind: IdKind): fc.Arbitrary<string> {
  const pool = () => {
    if (kind === 'scheduleRead') return [...fixtures.schedule, ...fixtures.scheduleReadOnly];
    if (kind === 'token') return fixtures.task.map((t) => `${t}.c2VjcmV0LW5vdC1pc3N1ZWQ`);
    return fixtures[kind];
  };
  return fc.nat().map((i) => {
    const ids = pool();
    return ids.length === 0 ? '00000000-0000-4000-8000-000000000000' : ids[i % ids.length];
  });
}

/** A path segment standing for an id, already encoded for the request line. */
function idSegment(kind: IdKind): fc.Arbitrary<string> {
  const existing = fixtureIds(kind);
  const tokenish =
    kind === 'token'
      ? [
          fc.tuple(fc.uuid(), fc.base64String({ maxLength: 30 })).map(([u, s]) => enc(`${u}.${s}`)),
          fixtureIds('task').map((t) => enc(`${t}.`)),
          fixtureIds('task').map((t) => enc(`${t}.a.b`)),
          fc.constantFrom('.', '.secret', 'a.b', '..', `${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}.x`),
        ]
      : [];
  return fc.oneof(
    { weight: 4, arbitrary: existing.map(enc) },
    { weight: 1, arbitrary: existing.map((id) => id.toUpperCase()) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(existing, fc.constantFrom('x', '%00', '%20', '%0A', '/', '/x', '.json', '%2F', '~', '%C3%A9'), fc.boolean())
        .map(([id, extra, before]) => (before ? `${extra}${id}` : `${id}${extra}`)),
    },
    { weight: 2, arbitrary: uuidLike.map(enc) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map(enc) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 30 }).map(enc) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
    { weight: 1, arbitrary: fc.integer({ min: 90, max: 3_000 }).map((n) => 'a'.repeat(n)) },
    ...tokenish.map((arbitrary) => ({ weight: 2, arbitrary })),
  );
}

const cursorOf = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');

const limitValue = fc.oneof(
  fc.integer({ min: -10, max: 600 }).map(String),
  fc.constantFrom('', '1e2', '0x10', ' 5', '5 ', '5.5', 'Infinity', '-Infinity', 'NaN', '-0', '9007199254740993', '١٢', '1,2', 'true', '[]'),
);
const cursorValue = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('createdAt', 'dueAt', 'updatedAt', 'scheduledFor', 'x'),
      fc.oneof(awkwardScalar, isoDateish),
      fc.oneof(fc.uuid(), awkwardString),
    )
    .map(cursorOf),
  fc.jsonValue({ maxDepth: 2 }).map(cursorOf),
  fc.base64String({ maxLength: 40 }),
  awkwardString,
);
const dateValue = fc.oneof(isoDateish, awkwardString);
const statusList = (statuses: readonly string[]) =>
  fc.oneof(
    fc.constantFrom(...statuses),
    fc.array(fc.oneof(fc.constantFrom(...statuses), awkwardString), { maxLength: 4 }).map((l) => l.join(',')),
    fc.constantFrom(',', ' , ', statuses.join(',').toLowerCase(), `${statuses[0]},`),
    awkwardString,
  );
const ownerValue = fc.oneof(
  fc.constantFrom('fuzz-owner', 'someone-else', ''),
  fc.integer({ min: 190, max: 210 }).map((n) => 'o'.repeat(n)),
  awkwardString,
);
const typeValue = fc.oneof(fc.constantFrom('fuzz.fixture', 'report.export', 'a', ''), awkwardString);

type QueryModel = Record<string, fc.Arbitrary<string>>;

/** A query string of known and unknown parameters, repeated ones, bare names and raw characters. */
function queryArbitrary(model: QueryModel): fc.Arbitrary<string> {
  const known = Object.entries(model);
  const pair = fc.oneof(
    ...(known.length > 0
      ? [{ weight: 6, arbitrary: fc.constantFrom(...known).chain(([name, value]) => value.map((v) => `${enc(name)}=${enc(v)}`)) }]
      : []),
    { weight: 1, arbitrary: fc.tuple(awkwardKey, awkwardString).map(([k, v]) => `${enc(k)}=${enc(v)}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        ...known.map(([name]) => name),
        ...known.map(([name]) => `${name}[]=1`),
        ...known.map(([name]) => `${name}[a]=1`),
        ...known.map(([name]) => `${name}=%`),
        ...known.map(([name]) => `${name}=%zz`),
        ...known.map(([name]) => `${name}=a&${name}=b`),
        '__proto__=x',
        '__proto__[polluted]=1',
        'constructor[prototype][polluted]=1',
        '=',
        '&',
        '==',
        '%00=%00',
        'a=b=c',
      ),
    },
  );
  return fc.array(pair, { maxLength: 5 }).map((pairs) => (pairs.length === 0 ? '' : `?${pairs.join('&')}`));
}

const CONTENT_TYPES = [
  undefined,
  '',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/json;',
  'application/json; foo',
  'application/jsonx',
  'application/vnd.api+json',
  'application/*',
  '*/*',
  'json',
  'application/octet-stream',
  'application/json, text/plain',
  'application/json;charset=',
  'application',
  '/',
];

/** Header values Node will send: printable ASCII and Latin-1, tabs included. */
const headerValue = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('\t', '\tx\t', 'null', '0', '-1', '../..', 'é', '%00', 'a\u00ff') },
);
/** Huge, though within Node's 16 KiB limit on the request head (the request is trimmed to HEAD_BUDGET): past it Node refuses before Herald sees anything. */
const hugeHeaderValue = fc.integer({ min: 1_000, max: 9_000 }).map((n) => 'h'.repeat(n));
const HEAD_BUDGET = 15_000;
const TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
/** Not sent as extras: framing and connection headers are the transport's, not the endpoints' (Content-Length lies are out of scope). */
const RESERVED_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'host',
  'connection',
  'expect',
  'upgrade',
  'content-type',
  'authorization',
  'keep-alive',
  'te',
  'trailer',
]);
const headerName = fc
  .oneof(
    fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 24 }),
    fc.constantFrom(
      'x-request-id',
      'x-forwarded-for',
      'x-forwarded-proto',
      'x-forwarded-host',
      'traceparent',
      'tracestate',
      'baggage',
      'accept',
      'accept-encoding',
      'accept-language',
      'content-encoding',
      'cookie',
      'origin',
      'referer',
      'if-none-match',
      'if-modified-since',
      'range',
      'x-http-method-override',
      'prefer',
      'herald-attempt',
      'webhook-id',
      'user-agent',
    ),
  )
  .filter((name) => !RESERVED_HEADERS.has(name.toLowerCase()));

const authorization = fc.oneof(
  { weight: 14, arbitrary: fc.constant<string | undefined>(`Bearer ${ADMIN_KEY}`) },
  { weight: 3, arbitrary: fc.constant<string | undefined>(`Bearer ${OWNER_KEY}`) },
  { weight: 1, arbitrary: fc.constant<string | undefined>(`Bearer ${READER_KEY}`) },
  { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constantFrom(
        'Bearer',
        'Bearer ',
        'bearer',
        `bearer\t${ADMIN_KEY}\t`,
        `Bearer  ${ADMIN_KEY}  x`,
        `Basic ${ADMIN_KEY}`,
        `Bearer ${ADMIN_KEY.slice(0, -1)}`,
        `Bearer ${ADMIN_KEY}é`,
        'Bearer null',
        'Token abc',
        `${ADMIN_KEY}`,
        `Bearer ${'k'.repeat(600)}`,
      ),
      headerValue.map((v) => `Bearer ${v}`),
      headerValue,
      hugeHeaderValue.map((v) => `Bearer ${v}`),
    ),
  },
);
const idempotencyKey = fc.option(
  fc.oneof(
    // Unbiased: fast-check's small-value bias would hand out the same few UUIDs, and a reused key is a 422 before anything else.
    { weight: 6, arbitrary: fc.noBias(fc.uuid()) },
    { weight: 1, arbitrary: headerValue },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', ' ', '0', '../x', '"quoted"', '"', 'fuzz-reused-key', 'k'.repeat(255), 'k'.repeat(256), 'k'.repeat(4_000)),
    },
  ),
  { freq: 3, nil: undefined },
);

// ---------------------------------------------------------------------------
// The routes

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
/** What a 2xx may have left behind that could write later by itself, and so is neutralised at once. */
type Leaves = 'reminder' | 'task' | 'schedule' | 'leases';

interface Route {
  readonly method: Method;
  /** As Fastify lists it. */
  readonly path: string;
  /** The kind of id its `:id` or `:token` is. */
  readonly param?: IdKind;
  readonly body?: BodyModel;
  readonly query?: QueryModel;
  readonly leaves?: Leaves;
  /** Request headers the route reads (besides Authorization, Idempotency-Key and Content-Type): each may be sent, with a fuzzed value. */
  readonly headers?: Record<string, fc.Arbitrary<string>>;
}

const NO_BODY: BodyModel = { valid: fc.constant({}) };

const dueTimeValid = fc.oneof(
  fc.record({ hours: fc.integer({ min: 100, max: 10_000 }) }),
  fc.record({ minutes: fc.integer({ min: 6_000, max: 100_000 }), seconds: fc.double({ min: 0, max: 59, noNaN: true }) }),
  { weight: 2, arbitrary: fc.record({ dueAt: futureIso }) },
);
const DUE_TIME_FIELDS = ['hours', 'minutes', 'seconds', 'dueAt', 'when'];

const defineReminderValid = fc
  .tuple(
    dueTimeValid,
    fc.record(
      {
        address: fc.constant(ADDRESS),
        payload: jsonPayload,
        headers: fc.constantFrom({ 'X-Fuzz': '1' }, { Authorization: 'Bearer s3cret' }, {}),
        maxAttempts: fc.integer({ min: 1, max: 50 }),
        timeoutMs: fc.integer({ min: 100, max: 300_000 }),
        owner: fc.constantFrom('fuzz-owner', 'someone-else'),
      },
      { requiredKeys: ['address'] },
    ),
  )
  .map(([due, rest]) => ({ ...due, ...rest }));

const taskValid = fc.record(
  {
    type: fc.constant('fuzz.enqueued'),
    params: jsonPayload,
    owner: fc.constantFrom('fuzz-owner', 'someone-else'),
    tags: fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 3 }),
    priority: fc.integer({ min: 0, max: 9 }),
    runAt: futureIso,
    maxAttempts: fc.integer({ min: 1, max: 50 }),
    heartbeatTimeoutMs: fc.integer({ min: 1_000, max: 600_000 }),
  },
  { requiredKeys: ['type'] },
) as fc.Arbitrary<Record<string, Json>>;

const tokenValue = fc.oneof(
  fixtureIds('token'),
  fc.tuple(fc.uuid(), fc.base64String({ minLength: 4, maxLength: 24 })).map(([u, s]) => `${u}.${s}`),
  awkwardString.filter((s) => s.length > 0 && s.length <= 300),
);
const reportValid = fc.oneof(
  fc.record({ token: tokenValue, outcome: fc.constant('complete'), result: jsonPayload }, { requiredKeys: ['token', 'outcome'] }),
  fc.record(
    { token: tokenValue, outcome: fc.constant('fail'), error: fc.string({ minLength: 1, maxLength: 40 }), retryable: fc.boolean() },
    { requiredKeys: ['token', 'outcome', 'error'] },
  ),
  fc.record({ token: tokenValue, outcome: fc.constant('release'), checkpoint: jsonPayload }, { requiredKeys: ['token', 'outcome'] }),
);

const scheduleTarget = fc.oneof(
  fc.record({
    reminder: fc.record(
      {
        address: fc.constant(ADDRESS),
        payload: jsonPayload,
        headers: fc.constant({ 'X-Fuzz': '1' }),
        maxAttempts: fc.integer({ min: 1, max: 50 }),
        timeoutMs: fc.integer({ min: 100, max: 300_000 }),
      },
      { requiredKeys: ['address'] },
    ),
  }),
  fc.record({
    task: fc.record(
      {
        type: fc.constant('fuzz.scheduled'),
        params: jsonPayload,
        owner: fc.constant('fuzz-owner'),
        tags: fc.constant(['a']),
        priority: fc.integer({ min: 0, max: 9 }),
        maxAttempts: fc.integer({ min: 1, max: 50 }),
      },
      { requiredKeys: ['type'] },
    ),
  }),
);
const scheduleFields = {
  timeZone: fc.constantFrom(...VALID_TIME_ZONES),
  overlap: fc.constantFrom('skip', 'bufferOne', 'allow'),
  catchup: fc.constantFrom('skip', 'latest', 'all'),
  catchupMax: fc.integer({ min: 1, max: 10_000 }),
  catchupWindowMs: fc.integer({ min: 0, max: 30 * 86_400_000 }),
  endAt: fc.constant('2031-01-01T00:00:00Z'),
};
/** Schedules whose first occurrence is months away, so creating one starts nothing during the run; each is deleted at once anyway. */
const createScheduleValid = fc.record(
  {
    cron: fc.constantFrom('0 0 1 1 *', '0 0 0 1 1 *', '0 12 29 2 *'),
    target: scheduleTarget,
    ...scheduleFields,
    startAt: fc.constant('2027-06-01T00:00:00Z'),
    owner: fc.constantFrom('fuzz-owner', 'someone-else'),
    paused: fc.boolean(),
  },
  { requiredKeys: ['cron', 'target'] },
) as fc.Arbitrary<Record<string, Json>>;
const updateScheduleValid = fc.record(
  { cron: fc.constantFrom('0 0 1 1 *', '0 0 2 1 *'), target: scheduleTarget, ...scheduleFields },
  { requiredKeys: [] },
) as fc.Arbitrary<Record<string, Json>>;
const SCHEDULE_FIELDS = ['cron', 'target', 'timeZone', 'overlap', 'catchup', 'catchupMax', 'catchupWindowMs', 'endAt'];

const previewValid = fc.record(
  {
    cron: fc.constantFrom(...PREVIEW_CRONS),
    timeZone: fc.constantFrom(...VALID_TIME_ZONES, ...ODD_TIME_ZONES),
    count: fc.integer({ min: 1, max: 100 }),
    from: isoDateish,
  },
  { requiredKeys: ['cron'] },
) as fc.Arbitrary<Record<string, Json>>;

/** A valid waitMs long-polls for up to 30 s: the fuzzer sends 0 instead (a lease on nothing answers at once). */
const noLongPoll = (body: Json): Json => {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const waitMs = (body as { waitMs?: unknown }).waitMs;
    if (typeof waitMs === 'number' && waitMs > 0 && waitMs <= 30_000) return { ...body, waitMs: 0 };
  }
  return body;
};

const REMINDER_STATUSES = ['Active', 'Completed', 'Failed', 'Cancelled'];
const TASK_STATUSES = ['Queued', 'Running', 'Pausing', 'Paused', 'Cancelling', 'Cancelled', 'Completed', 'Failed'];
const SCHEDULE_STATUSES = ['Active', 'Paused', 'Ended'];
const page: QueryModel = { limit: limitValue, cursor: cursorValue };

const CHANNELS = ['general', 'team-billing', 'task:3f6b2a0e', 'fuzz'];
const publishNotificationValid = fc.record(
  {
    channel: fc.constantFrom(...CHANNELS),
    message: fc.string({ minLength: 1, maxLength: 80 }),
    data: jsonPayload,
    owner: fc.constantFrom('fuzz-owner', 'someone-else'),
  },
  { requiredKeys: ['message'] },
) as fc.Arbitrary<Record<string, Json>>;

/** A feed message id: a log position, base64url (valid ones resume from there), or something that is not one. */
const feedTokenValue = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 100_000 }).map((n) => Buffer.from(String(n)).toString('base64url')) },
  { weight: 1, arbitrary: fc.constantFrom('MA', 'LTE', 'OS45', 'MWUz', 'TmFO', 'a'.repeat(201), '', '=', 'MA==') },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 40 }) },
);
const FEED_CATEGORIES = ['reminder', 'task', 'schedule', 'notification'];
const FEED_EVENT_TYPES = ['ReminderDefined', 'ReminderCancelled', 'TaskEnqueued', 'TaskCancelled', 'ScheduleCreated', 'NotificationPublished'];

const ROUTES: readonly Route[] = [
  // Reminders
  {
    method: 'POST',
    path: '/api/v1/reminders',
    body: { valid: defineReminderValid, extraFields: [...DUE_TIME_FIELDS, 'payload', 'headers', 'maxAttempts', 'timeoutMs', 'owner'] },
    leaves: 'reminder',
  },
  {
    method: 'GET',
    path: '/api/v1/reminders',
    query: {
      ...page,
      status: statusList(REMINDER_STATUSES),
      order: fc.constantFrom('createdAt', 'dueAt', 'updatedAt', 'DUEAT', ''),
      owner: ownerValue,
      scheduleId: fc.oneof(fc.uuid(), uuidLike, awkwardString),
    },
  },
  { method: 'GET', path: '/api/v1/reminders/:id', param: 'reminder' },
  { method: 'DELETE', path: '/api/v1/reminders/:id', param: 'reminder', body: NO_BODY },
  {
    method: 'POST',
    path: '/api/v1/reminders/:id/reschedule',
    param: 'reminder',
    body: { valid: dueTimeValid, extraFields: DUE_TIME_FIELDS },
    leaves: 'reminder',
  },
  {
    method: 'POST',
    path: '/api/v1/reminders/:id/retrigger',
    param: 'reminder',
    body: { valid: fc.record({ dueAt: futureIso }, { requiredKeys: [] }), extraFields: ['dueAt'] },
    leaves: 'reminder',
  },
  { method: 'GET', path: '/api/v1/reminders/:id/events', param: 'reminder' },
  // Tasks
  {
    method: 'POST',
    path: '/api/v1/tasks',
    body: { valid: taskValid, extraFields: ['params', 'owner', 'tags', 'priority', 'runAt', 'maxAttempts', 'heartbeatTimeoutMs'] },
    leaves: 'task',
  },
  {
    method: 'GET',
    path: '/api/v1/tasks',
    query: {
      ...page,
      type: typeValue,
      owner: ownerValue,
      status: statusList(TASK_STATUSES),
      tag: fc.oneof(
        fc.constantFrom('monthly', ''),
        fc.integer({ min: 95, max: 105 }).map((n) => 't'.repeat(n)),
        awkwardString,
      ),
      scheduleId: fc.oneof(fc.uuid(), uuidLike, awkwardString),
      createdAfter: dateValue,
      createdBefore: dateValue,
      order: fc.constantFrom('createdAt', 'updatedAt', 'dueAt', ''),
    },
  },
  { method: 'GET', path: '/api/v1/tasks/:id', param: 'task' },
  { method: 'GET', path: '/api/v1/tasks/:id/status', param: 'task' },
  { method: 'GET', path: '/api/v1/tasks/:id/result', param: 'task' },
  { method: 'GET', path: '/api/v1/tasks/:id/events', param: 'task' },
  ...(['pause', 'resume', 'cancel'] as const).map((action): Route => ({
    method: 'POST',
    path: `/api/v1/tasks/:id/${action}`,
    param: 'task',
    body: { valid: fc.record({ reason: reasonArb }, { requiredKeys: [] }), extraFields: ['reason'] },
    leaves: 'task',
  })),
  {
    method: 'POST',
    path: '/api/v1/tasks/:id/retrigger',
    param: 'task',
    body: { valid: fc.record({ reason: reasonArb, fromCheckpoint: fc.boolean() }, { requiredKeys: [] }), extraFields: ['reason', 'fromCheckpoint'] },
    leaves: 'task',
  },
  // Workers
  {
    method: 'POST',
    path: '/api/v1/workers/leases',
    body: {
      valid: fc.record(
        {
          workerId: fc.constantFrom('fuzz-worker', 'w'),
          types: fc.constantFrom(['fuzz.unleased'], ['fuzz.unleased', 'fuzz.none']),
          max: fc.integer({ min: 1, max: 100 }),
          waitMs: fc.constant(0),
        },
        { requiredKeys: ['workerId', 'types'] },
      ),
      extraFields: ['max', 'waitMs'],
      tame: noLongPoll,
    },
    leaves: 'leases',
  },
  {
    method: 'POST',
    path: '/api/v1/workers/leases/:token/heartbeat',
    param: 'token',
    body: { valid: fc.record({ progress: jsonPayload, checkpoint: jsonPayload }, { requiredKeys: [] }), extraFields: ['progress', 'checkpoint'] },
  },
  {
    method: 'POST',
    path: '/api/v1/workers/leases/:token/complete',
    param: 'token',
    body: { valid: fc.record({ result: jsonPayload }, { requiredKeys: [] }), extraFields: ['result'] },
  },
  {
    method: 'POST',
    path: '/api/v1/workers/leases/:token/fail',
    param: 'token',
    body: {
      valid: fc.record({ error: fc.string({ minLength: 1, maxLength: 40 }), retryable: fc.boolean() }, { requiredKeys: ['error'] }),
      extraFields: ['retryable'],
    },
  },
  {
    method: 'POST',
    path: '/api/v1/workers/leases/:token/release',
    param: 'token',
    body: { valid: fc.record({ checkpoint: jsonPayload }, { requiredKeys: [] }), extraFields: ['checkpoint'] },
  },
  { method: 'POST', path: '/api/v1/workers/reports', body: { valid: fc.record({ reports: fc.array(reportValid, { minLength: 1, maxLength: 4 }) }) } },
  // Schedules
  {
    method: 'POST',
    path: '/api/v1/schedules',
    body: { valid: createScheduleValid, extraFields: [...SCHEDULE_FIELDS, 'startAt', 'owner', 'paused'] },
    leaves: 'schedule',
  },
  { method: 'GET', path: '/api/v1/schedules', query: { ...page, status: statusList(SCHEDULE_STATUSES), owner: ownerValue } },
  { method: 'POST', path: '/api/v1/schedules/preview', body: { valid: previewValid, extraFields: ['timeZone', 'count', 'from'] } },
  { method: 'GET', path: '/api/v1/schedules/:id', param: 'scheduleRead' },
  {
    method: 'PATCH',
    path: '/api/v1/schedules/:id',
    param: 'schedule',
    body: { valid: updateScheduleValid, extraFields: SCHEDULE_FIELDS },
    leaves: 'schedule',
  },
  { method: 'DELETE', path: '/api/v1/schedules/:id', param: 'schedule', body: NO_BODY },
  {
    method: 'POST',
    path: '/api/v1/schedules/:id/pause',
    param: 'schedule',
    body: { valid: fc.record({ note: fc.string({ maxLength: 50 }) }, { requiredKeys: [] }), extraFields: ['note'] },
    leaves: 'schedule',
  },
  { method: 'POST', path: '/api/v1/schedules/:id/resume', param: 'schedule', body: NO_BODY, leaves: 'schedule' },
  { method: 'POST', path: '/api/v1/schedules/:id/trigger', param: 'schedule', body: NO_BODY, leaves: 'schedule' },
  { method: 'GET', path: '/api/v1/schedules/:id/preview', param: 'scheduleRead', query: { count: limitValue, from: dateValue } },
  { method: 'GET', path: '/api/v1/schedules/:id/runs', param: 'scheduleRead', query: page },
  { method: 'GET', path: '/api/v1/schedules/:id/events', param: 'scheduleRead' },
  // Notifications
  {
    method: 'POST',
    path: '/api/v1/notifications',
    body: { valid: publishNotificationValid, extraFields: ['channel', 'data', 'owner'] },
  },
  { method: 'GET', path: '/api/v1/notifications', query: { ...page, channel: statusList(CHANNELS), owner: ownerValue } },
  { method: 'GET', path: '/api/v1/notifications/:id', param: 'notification' },
  // The live feed: a valid request opens an event stream, which send() closes after its first line.
  {
    method: 'GET',
    path: '/api/v1/stream',
    query: {
      category: statusList(FEED_CATEGORIES),
      id: fc.oneof(fixtureIds('reminder'), fixtureIds('notification'), fc.uuid(), awkwardString),
      owner: ownerValue,
      type: statusList(FEED_EVENT_TYPES),
      channel: statusList(CHANNELS),
      after: fc.oneof({ weight: 3, arbitrary: feedTokenValue }, { weight: 1, arbitrary: awkwardString }),
    },
    headers: { 'last-event-id': fc.oneof({ weight: 3, arbitrary: feedTokenValue }, { weight: 1, arbitrary: headerValue }) },
  },
  // Platform
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/metrics' },
];

// ---------------------------------------------------------------------------
// Requests

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: BodySpec;
}

interface FuzzResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}… (${s.length} characters)` : s);

function describeRequest(r: FuzzRequest): string {
  const body =
    r.body === undefined
      ? ''
      : `\n  body (${r.body.what}): ${clip(JSON.stringify(typeof r.body.text === 'string' ? r.body.text : `<bytes> ${r.body.text.toString('latin1')}`))}`;
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `\n  ${k}: ${clip(JSON.stringify(v), 120)}`)
    .join('');
  return `${r.method} ${clip(r.path, 300)}${headers}${body}`;
}

const headSize = (r: FuzzRequest) =>
  r.method.length + r.path.length + Object.entries(r.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);

/** The request with its largest parts (a header, or the query string) dropped until its head fits HEAD_BUDGET. */
function withinHeadBudget(r: FuzzRequest): FuzzRequest {
  let trimmed: FuzzRequest = { ...r, headers: { ...r.headers } };
  while (headSize(trimmed) > HEAD_BUDGET) {
    const [path, query = ''] = trimmed.path.split(/\?(.*)/s);
    const [name, value] = Object.entries(trimmed.headers).sort(([, a], [, b]) => b.length - a.length)[0] ?? ['', ''];
    if (query.length >= value.length) trimmed = { ...trimmed, path };
    else {
      const headers = { ...trimmed.headers };
      delete headers[name];
      trimmed = { ...trimmed, headers };
    }
  }
  return trimmed;
}

/** A request as fast-check prints it in a counterexample: readable and clipped, not the 60 KB body. */
function printable(r: FuzzRequest): FuzzRequest {
  return Object.assign(r, { [fc.toStringMethod]: () => describeRequest(r) });
}

/**
 * Sends one request and reads its answer to the end; of a 200 event stream (the live feed, which never ends), the head and the
 * first chunk (the feed's opening comment line), then it closes the connection.
 */
function send(base: URL, r: FuzzRequest): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...r.headers };
    if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body.text));
    const req = httpRequest(
      { host: base.hostname, port: base.port, method: r.method, path: r.path, headers, agent: false, timeout: 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        const answer = () => ({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        const endless = res.statusCode === 200 && String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          if (endless) {
            resolve(answer());
            res.destroy();
          }
        });
        res.on('end', () => resolve(answer()));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
    req.on('error', reject);
    req.end(r.body?.text);
  });
}

function requestArbitrary(route: Route, methods: fc.Arbitrary<string>): fc.Arbitrary<FuzzRequest> {
  const segment = route.param ? idSegment(route.param) : fc.constant('');
  const path = segment.map((id) => route.path.replace(/:(id|token)/, id));
  const query = queryArbitrary(route.query ?? {});
  // Routes without a body model (GETs) are sent one now and then all the same.
  const body: fc.Arbitrary<BodySpec | undefined> = route.body
    ? fc.option(bodyArbitrary(route.body), { freq: 12, nil: undefined })
    : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: bodyArbitrary(NO_BODY) });
  const routeHeaders = route.headers ? fc.record(route.headers, { requiredKeys: [] }) : fc.constant<Record<string, string>>({});
  const headers = fc.record({
    route: routeHeaders,
    authorization,
    idempotencyKey,
    contentType: fc.oneof(
      { weight: 16, arbitrary: fc.constant<string | undefined>('application/json') },
      { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      { weight: 1, arbitrary: headerValue },
    ),
    extra: fc.array(fc.tuple(headerName, fc.oneof({ weight: 8, arbitrary: headerValue }, { weight: 1, arbitrary: hugeHeaderValue })), {
      maxLength: 3,
    }),
  });
  return fc.tuple(methods, path, query, body, headers).map(([method, p, q, b, h]) => {
    const all: Record<string, string> = {};
    for (const [name, value] of h.extra) all[name.toLowerCase()] = value;
    for (const [name, value] of Object.entries(h.route)) if (value !== undefined) all[name] = value;
    if (h.authorization !== undefined) all.authorization = h.authorization;
    if (h.idempotencyKey !== undefined) all['idempotency-key'] = h.idempotencyKey;
    if (b !== undefined && h.contentType !== undefined) all['content-type'] = h.contentType;
    return printable(withinHeadBudget({ method, path: `${p}${q}`, headers: all, body: b }));
  });
}

// ---------------------------------------------------------------------------
// The suite

describe('fuzzing every endpoint: never a 5xx, never a write on a refusal, always the error shape', () => {
  let herald: RunningHerald;
  let base: URL;
  let db: Database;
  const admin = { authorization: `Bearer ${ADMIN_KEY}` };

  /** A plain admin call, for fixtures and neutralising; its outcome is asserted where it matters. */
  const adminCall = async (method: Method, path: string, body?: unknown) =>
    body === undefined
      ? send(base, { method, path, headers: admin })
      : send(base, {
          method,
          path,
          headers: { ...admin, 'content-type': 'application/json' },
          body: { what: 'fixture', text: JSON.stringify(body) },
        });
  const created = async (path: string, body: unknown, status: number): Promise<string> => {
    const response = await adminCall('POST', path, body);
    if (response.status !== status) throw new Error(`fixture ${path}: ${response.status} ${response.text}`);
    return (JSON.parse(response.text) as { id: string }).id;
  };

  beforeAll(async () => {
    herald = await startHerald({
      LOG_LEVEL: 'error',
      HERALD_API_KEYS: JSON.stringify(API_KEYS),
      BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
      PAYLOAD_MAX_BYTES: String(PAYLOAD_MAX_BYTES),
    });
    base = new URL(herald.url);
    db = herald.app.get<{ get(): Database }>(SQLITE).get();

    const far = { hours: 2_000, address: ADDRESS };
    const active = await created('/api/v1/reminders', far, 201);
    const cancelled = await created('/api/v1/reminders', far, 201);
    expect((await adminCall('DELETE', `/api/v1/reminders/${cancelled}`)).status).toBe(204);
    const othersReminder = await created('/api/v1/reminders', { ...far, owner: 'someone-else' }, 201);
    fixtures.reminder.push(active, cancelled, othersReminder);

    // A type no fuzzed lease asks for: these tasks stay unleased whatever state the fuzzer moves them to.
    const queued = await created('/api/v1/tasks', { type: 'fuzz.fixture', heartbeatTimeoutMs: 600_000 }, 202);
    const cancelledTask = await created('/api/v1/tasks', { type: 'fuzz.fixture', owner: 'someone-else' }, 202);
    expect((await adminCall('POST', `/api/v1/tasks/${cancelledTask}/cancel`)).status).toBe(202);
    fixtures.task.push(queued, cancelledTask);

    const schedule = {
      cron: '0 0 1 1 *',
      target: { task: { type: 'fuzz.fixture' } },
      startAt: '2027-06-01T00:00:00Z',
      endAt: '2031-01-01T00:00:00Z',
    };
    const readOnly = await created('/api/v1/schedules', schedule, 201);
    const deleted = await created('/api/v1/schedules', schedule, 201);
    expect((await adminCall('DELETE', `/api/v1/schedules/${deleted}`)).status).toBe(200);
    fixtures.schedule.push(deleted);
    fixtures.scheduleReadOnly.push(readOnly);

    const notification = await created('/api/v1/notifications', { channel: 'fuzz', message: 'a fixture', data: { n: 1 } }, 201);
    const othersNotification = await created('/api/v1/notifications', { message: 'not yours', owner: 'someone-else' }, 201);
    fixtures.notification.push(notification, othersNotification);
  });

  const seenAnswers = new Map<string, number>();
  afterAll(async () => {
    if (STATS)
      console.log(
        [...seenAnswers]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, n]) => `${String(n).padStart(5)}  ${k}`)
          .join('\n'),
      );
    await herald.close();
    removeDataDir(herald.dataDir);
  });

  /** The events appended after `position`, for a failure message. */
  const eventsAfter = (position: number) =>
    (
      db.prepare('SELECT position, stream, type, data FROM events WHERE position > ? ORDER BY position LIMIT 20').all(position) as {
        stream: string;
        type: string;
        data: string;
      }[]
    )
      .map((e) => `${e.stream} ${e.type} ${clip(e.data, 300)}`)
      .join('\n    ');
  const lastPosition = () => (db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').get() as { p: number }).p;

  /** Cancels or deletes what a successful request left that could write by itself later (a timer firing, a lease lapsing). */
  async function neutralise(leaves: Leaves | undefined, response: FuzzResponse): Promise<void> {
    if (leaves === undefined || response.status === 204) return;
    let body: { id?: string; leases?: { token: string }[] };
    try {
      body = JSON.parse(response.text) as typeof body;
    } catch {
      throw new Error(`a ${response.status} with a body that is not JSON: ${clip(response.text)}`);
    }
    const expectOneOf = async (call: Promise<FuzzResponse>, statuses: number[], what: string) => {
      const answer = await call;
      if (!statuses.includes(answer.status)) throw new Error(`neutralising after a success: ${what} answered ${answer.status} ${answer.text}`);
    };
    if (leaves === 'reminder' && body.id)
      await expectOneOf(adminCall('DELETE', `/api/v1/reminders/${body.id}`), [204, 409], `cancel reminder ${body.id}`);
    if (leaves === 'task' && body.id) await expectOneOf(adminCall('POST', `/api/v1/tasks/${body.id}/cancel`), [202, 409], `cancel task ${body.id}`);
    if (leaves === 'schedule' && body.id)
      await expectOneOf(adminCall('DELETE', `/api/v1/schedules/${body.id}`), [200, 409], `delete schedule ${body.id}`);
    for (const lease of body.leases ?? []) {
      await expectOneOf(
        adminCall('POST', `/api/v1/workers/leases/${encodeURIComponent(lease.token)}/complete`, {}),
        [200, 409],
        `complete lease ${lease.token}`,
      );
    }
  }

  /** Sends one request and checks the properties; throws (so fast-check reports and shrinks) on any breach. */
  async function check(route: Route, r: FuzzRequest): Promise<void> {
    const before = herald.eventCount();
    const position = lastPosition();
    let response: FuzzResponse;
    try {
      response = await send(base, r);
    } catch (error) {
      throw new Error(`no answer (${(error as Error).message}) to\n  ${describeRequest(r)}`, { cause: error });
    }
    const seen = () => `\n  ${describeRequest(r)}\n→ ${response.status} ${clip(response.text)}`;
    if (STATS) {
      const key = `${route.method} ${route.path} ${r.method} ${response.status} ${/"code":"([^"]*)"/.exec(response.text)?.[1] ?? ''}`;
      seenAnswers.set(key, (seenAnswers.get(key) ?? 0) + 1);
    }
    if (Object.prototype.hasOwnProperty.call(Object.prototype, POLLUTED) || Object.prototype.hasOwnProperty.call(Array.prototype, POLLUTED)) {
      throw new Error(`Object.prototype was polluted by${seen()}`);
    }
    if (response.status >= 500) throw new Error(`a 5xx for${seen()}`);
    if (response.status >= 400) {
      const after = herald.eventCount();
      if (after !== before) throw new Error(`a refused request wrote ${after - before} event(s):\n    ${eventsAfter(position)}\nfor${seen()}`);
      if (r.method === 'HEAD') return; // no body to hold the shape
      let body: { statusCode?: unknown; error?: unknown; code?: unknown; message?: unknown };
      try {
        body = JSON.parse(response.text) as typeof body;
      } catch {
        throw new Error(`a refusal that is not JSON for${seen()}`);
      }
      const problems: string[] = [];
      if (body === null || typeof body !== 'object') problems.push('the body is not an object');
      else {
        if (body.statusCode !== response.status)
          problems.push(`statusCode ${JSON.stringify(body.statusCode)} is not the HTTP status ${response.status}`);
        if (typeof body.error !== 'string' || body.error === '') problems.push('error is not a non-empty string');
        if (typeof body.code !== 'string' || body.code === '') problems.push('code is not a non-empty string');
        const message = body.message;
        const readable =
          (typeof message === 'string' && message.trim() !== '') ||
          (Array.isArray(message) && message.length > 0 && message.every((m) => typeof m === 'string' && m.trim() !== ''));
        if (!readable) problems.push('message is not a non-empty string or list of them');
      }
      if (!String(response.headers['content-type'] ?? '').startsWith('application/json'))
        problems.push(`content-type is ${String(response.headers['content-type'])}`);
      if (problems.length > 0) throw new Error(`a refusal not in the error shape (${problems.join('; ')}) for${seen()}`);
      return;
    }
    if (response.status >= 200 && response.status < 300 && r.method !== 'HEAD') await neutralise(route.leaves, response);
  }

  const run = (property: fc.IAsyncPropertyWithHooks<[FuzzRequest]>, seed: number) => fc.assert(property, { seed, numRuns: NUM_RUNS, verbose: 1 });

  it('fuzzes every route the app serves (a new route without a model here fails)', () => {
    // The API reference (Swagger UI and its assets, the OpenAPI document) and the dashboard serve files, not the API:
    // test/e2e/openapi and test/e2e/dashboard cover them.
    const served = new Set([...servedRoutes(herald.app)].filter((r) => !/^[A-Z]+ \/(api\/docs($|[-/])|dashboard($|[/*]))/.test(r)));
    const modelled = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    const headOfGets = new Set(ROUTES.filter((r) => r.method === 'GET').map((r) => `HEAD ${r.path}`));
    expect([...served].filter((r) => !modelled.has(r) && !headOfGets.has(r)).sort()).toEqual([]);
    expect([...modelled].filter((r) => !served.has(r)).sort()).toEqual([]);
  });

  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s',
    async (_name, route) => {
      const methods = route.method === 'GET' ? fc.constantFrom('GET', 'GET', 'GET', 'HEAD') : fc.constant(route.method);
      await run(
        fc.asyncProperty(requestArbitrary(route, methods), (r) => check(route, r)),
        SEED,
      );
    },
    120_000,
  );

  it('answers methods a route does not take, and paths no route has, in the same way', async () => {
    const known = ROUTES.map((r) => r.path);
    const anyRoute: Route = { method: 'GET', path: '(any)' };
    const path = fc.oneof(
      fc.tuple(fc.constantFrom(...known), idSegment('reminder')).map(([p, id]) => p.replace(/:(id|token)/, id)),
      fc
        .array(
          fc.oneof(
            fc.constantFrom('api', 'v1', 'v2', 'reminders', 'tasks', 'schedules', 'workers', 'leases', 'metrics', 'health', ''),
            idSegment('task'),
          ),
          { minLength: 1, maxLength: 6 },
        )
        .map((s) => `/${s.join('/')}`),
      fc.constantFrom(
        '/',
        '//',
        '/api',
        '/api/v1',
        '/api/v1/',
        '/api/v1/reminders/',
        '/api/v1/tasks//events',
        '/health/',
        '/metrics/x',
        '/api/v1/reminders/..%2F..%2Fmetrics',
        '/%2e%2e/health',
        '/API/V1/REMINDERS',
        '/api/v1/reminders;x',
      ),
    );
    const request = fc
      .tuple(
        fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        path,
        requestArbitrary({ ...anyRoute, body: NO_BODY }, fc.constant('GET')),
      )
      .map(([method, p, r]) => printable({ ...r, method, path: p }));
    // A method that happens to be the route's own may succeed (a retrigger of the cancelled fixture): neutralised like the route's.
    const leavesOf = (path: string): Leaves | undefined =>
      (['reminder', 'task', 'schedule'] as const).find((kind) => path.startsWith(`/api/v1/${kind}s/`)) ??
      (path.startsWith('/api/v1/workers/leases') ? 'leases' : undefined);
    await run(
      fc.asyncProperty(request, (r) => check({ ...anyRoute, leaves: r.method === 'GET' || r.method === 'HEAD' ? undefined : leavesOf(r.path) }, r)),
      SEED,
    );
  }, 120_000);
});
