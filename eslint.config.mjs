// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

/**
 * Lint for Herald: @eslint/js + typescript-eslint, type-aware, prettier last.
 *
 * Type-aware or not: `eslint .` over the whole tree on the 2-core box, cold (no --cache):
 *                                                    270 .ts, idle   330 .ts, busy (load 5-8)
 *   recommended, no type information ...............      4.8 s         8.2 s
 *   + no-floating-promises on libs/<lib>/src, apps ..     10.9 s        21.4 s
 *   recommendedTypeChecked on every .ts file ........     16.0 s        24-31 s (worst seen 47 s)
 * The full type-aware set stays under the ~60 s budget even on a loaded machine
 * (about 23 s of CPU), so every .ts file gets recommendedTypeChecked (which includes
 * no-floating-promises and no-misused-promises) through the TypeScript project
 * service and tsconfig.json.
 *
 * The dependency rules between the libs are the `no-restricted-imports` blocks
 * further down; see "Dependency rules".
 */

/**
 * Test code: specs, the reusable contract suites, test fixtures/helpers and the e2e tree.
 * `*.contract.ts` and `*.int-helpers.ts` follow the same conventions as `contract/` and
 * `*.unit-helpers.ts` (libs/event-store/src/checkpoints, libs/worker/src/testing).
 */
const TEST_FILES = ['**/*.spec.ts', 'test/**', '**/contract/**', '**/*.contract.ts', '**/*.unit-helpers.ts', '**/*.int-helpers.ts'];

// ---------------------------------------------------------------------------
// Dependency rules
// ---------------------------------------------------------------------------
//
// One rule (`no-restricted-imports`) carries them all. In a flat config the last
// block that matches a file and sets a rule replaces that rule's options, it does
// not merge them; so every block below is built with the *complete* list of
// patterns for its files (the climb-out patterns + the lib's allow-list + any
// extra), and the more specific blocks (a lib's tests, the domain folders) come
// after the general ones.
//
// Allowing a lib means its alias and the alias' subpaths: `@herald/kernel` and
// `@herald/kernel/...`. The rule sees import/export declarations only, not
// `require()` or `import()` (`@typescript-eslint/no-require-imports` forbids the former).

/** Relative or baseUrl paths into another project; applies to every file in the repo. */
const CLIMB_OUT = [
  {
    group: ['**/libs/**'],
    message: 'Import a lib through its @herald/* alias, never by a path into libs/.',
  },
  {
    regex: '^(\\.\\./){4,}',
    message: 'More than three ../ climbs out of its own lib or app: import through the @herald/* alias.',
  },
  {
    regex: '^(\\.\\./)+[^./][^/]*/src(/|$)',
    message: "Deep import into another project's src: import the lib through its @herald/* alias.",
  },
  {
    regex: '^@herald/[^/]+/src(/|$)',
    message: "An alias already points at the lib's src: drop the /src.",
  },
];

/** Regex alternative for one allowed lib: its alias and the alias' subpaths. */
const lib = (name) => `${name}(/|$)`;
/** Regex alternative for exactly one module path under an alias, nothing else of that lib. */
const exactly = (path) => `${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`;

/** Forbid every @herald/* import except the listed alternatives (built with `lib` / `exactly`). */
function heraldOnly(allowed, message) {
  const except = allowed.length > 0 ? `(?!(${allowed.join('|')}))` : '';
  return { regex: `^@herald/${except}`, message };
}

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns: [...CLIMB_OUT, ...patterns] }] });

/** The libs below the capability libs (reminders, tasks). */
const BELOW_CAPABILITIES = ['kernel', 'event-store', 'view-store', 'scheduling', 'platform', 'runtime'];

/**
 * Per lib: what its production code may import, and what its tests (TEST_FILES)
 * may import in addition. The test allowances are what the tests use today.
 */
const LIB_RULES = [
  { lib: 'kernel', prod: [], tests: [], says: 'imports no @herald/* lib at all' },
  {
    lib: 'event-store',
    prod: [lib('kernel')],
    tests: [lib('testing'), exactly('platform/sqlite/open-sqlite')],
    says: 'imports only @herald/kernel (its specs and contracts also @herald/testing, @herald/platform/sqlite/open-sqlite)',
  },
  {
    lib: 'view-store',
    prod: [lib('kernel')],
    tests: [lib('testing'), exactly('platform/sqlite/open-sqlite')],
    says: 'imports only @herald/kernel (its specs and contracts also @herald/testing, @herald/platform/sqlite/open-sqlite)',
  },
  {
    lib: 'scheduling',
    prod: [lib('kernel')],
    tests: [lib('testing'), exactly('platform/sqlite/open-sqlite')],
    says: 'imports only @herald/kernel (its specs and contracts also @herald/testing, @herald/platform/sqlite/open-sqlite)',
  },
  {
    lib: 'platform',
    prod: ['kernel', 'event-store', 'view-store'].map(lib),
    tests: [lib('testing')],
    says: 'imports only kernel, event-store, view-store (its specs also @herald/testing)',
  },
  {
    lib: 'runtime',
    prod: ['kernel', 'event-store', 'view-store', 'scheduling', 'platform'].map(lib),
    tests: [lib('testing')],
    says: 'imports only kernel, event-store, view-store, scheduling, platform (its specs also @herald/testing)',
  },
  {
    lib: 'reminders',
    prod: BELOW_CAPABILITIES.map(lib),
    tests: [lib('testing')],
    says: `is a capability lib: it imports only ${BELOW_CAPABILITIES.join(', ')} (its specs also @herald/testing), never another capability lib`,
  },
  {
    lib: 'tasks',
    prod: BELOW_CAPABILITIES.map(lib),
    tests: [lib('testing')],
    says: `is a capability lib: it imports only ${BELOW_CAPABILITIES.join(', ')} (its specs also @herald/testing), never another capability lib`,
  },
  {
    lib: 'schedules',
    prod: BELOW_CAPABILITIES.map(lib),
    tests: [lib('testing')],
    says: `is a capability lib: it imports only ${BELOW_CAPABILITIES.join(', ')} (its specs also @herald/testing), never another capability lib`,
  },
  {
    lib: 'notifications',
    prod: BELOW_CAPABILITIES.map(lib),
    tests: [lib('testing')],
    says: `is a capability lib: it imports only ${BELOW_CAPABILITIES.join(', ')} (its specs also @herald/testing), never another capability lib`,
  },
  {
    lib: 'schedule-targets',
    prod: [...BELOW_CAPABILITIES, 'reminders', 'tasks', 'schedules'].map(lib),
    tests: [lib('testing')],
    says: 'wires schedules to reminders and tasks: the one lib that imports several capabilities (kernel … runtime, reminders, tasks, schedules)',
  },
  {
    lib: 'worker',
    prod: [],
    tests: [lib('testing')],
    says: 'is a client SDK: it imports no @herald/* lib (its specs may use @herald/testing)',
  },
  {
    lib: 'client',
    prod: [],
    tests: [lib('client'), lib('testing')],
    says: 'is the client SDK of the API (Node and browsers): it imports no @herald/* lib (its specs may use @herald/client, @herald/testing)',
  },
  // The test-support lib, never part of a build (tsconfig.build.json excludes it).
  { lib: 'testing', prod: [lib('kernel')], tests: [lib('kernel')], says: 'imports only @herald/kernel' },
];

/** The test files under a folder glob (flat-config AND: both patterns of an inner array must match). */
const testFilesUnder = (glob) => TEST_FILES.map((test) => [glob, test]);

const libBlocks = LIB_RULES.flatMap(({ lib: name, prod, tests, says }) => [
  {
    name: `herald/deps/${name}`,
    files: [`libs/${name}/**/*.ts`],
    ignores: TEST_FILES,
    rules: restrict(heraldOnly(prod, `libs/${name} ${says}.`)),
  },
  {
    name: `herald/deps/${name}/tests`,
    files: testFilesUnder(`libs/${name}/**/*.ts`),
    rules: restrict(heraldOnly([...prod, ...tests], `libs/${name} ${says}.`)),
  },
]);

/**
 * The decision logic of a capability (libs/<capability>/src/domain/**) is plain
 * TypeScript: @herald/kernel only (specs also @herald/testing), no NestJS, no I/O.
 */
const NO_NEST = { regex: '^@nestjs/', message: 'The domain folder is plain TypeScript: no NestJS.' };
/** Any Node built-in module, `node:`-prefixed or bare (`fs`, `stream`, `buffer`…): for code that also runs in browsers. */
const NO_NODE_BUILTINS = {
  regex: `^(node:|(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/|$))`,
  message: 'libs/client runs in browsers too: no Node built-in modules (fetch, AbortController, TextDecoder, ReadableStream only).',
};
const NO_IO = {
  regex:
    '^(node:)?(fs|net|tls|http|https|http2|dgram|dns|child_process|cluster|worker_threads|readline|repl|inspector|sqlite)(/|$)' +
    '|^(mongodb|amqplib|better-sqlite3|@eventstore/db-client|undici|ioredis|bullmq)(/|$)',
  message: 'The domain folder does no I/O: no node: I/O modules, no drivers. Let the Nest layer of the lib do it.',
};
/**
 * A relative import may not climb out of domain/ into the lib's Nest layer either.
 * A file `d` folders below domain/ may climb at most `d` times; generated per depth
 * up to MAX_DOMAIN_DEPTH. Deeper files still get the rest of the domain rules from the
 * catch-all blocks (first in the list, so the per-depth blocks override them).
 */
const MAX_DOMAIN_DEPTH = 6;
const domainBlocks = ['reminders', 'tasks', 'schedules', 'notifications'].flatMap((capability) => {
  const root = `libs/${capability}/src/domain`;
  const says = `libs/${capability}/src/domain imports only @herald/kernel (its specs also @herald/testing)`;
  const catchAll = [
    {
      name: `herald/deps/${capability}/domain`,
      files: [`${root}/**/*.ts`],
      ignores: TEST_FILES,
      rules: restrict(heraldOnly([lib('kernel')], `${says}.`), NO_NEST, NO_IO),
    },
    {
      name: `herald/deps/${capability}/domain/tests`,
      files: testFilesUnder(`${root}/**/*.ts`),
      rules: restrict(heraldOnly([lib('kernel'), lib('testing')], `${says}.`), NO_NEST, NO_IO),
    },
  ];
  const perDepth = Array.from({ length: MAX_DOMAIN_DEPTH + 1 }, (_, depth) => {
    const here = `${root}/${'*/'.repeat(depth)}`;
    const escape = {
      regex: `^(\\.\\./){${depth + 1},}`,
      message: `Relative import out of ${root}: the domain may not reach into the rest of the lib.`,
    };
    return [
      {
        name: `herald/deps/${capability}/domain/depth-${depth}`,
        files: [`${here}*.ts`],
        ignores: TEST_FILES,
        rules: restrict(heraldOnly([lib('kernel')], `${says}.`), NO_NEST, NO_IO, escape),
      },
      {
        name: `herald/deps/${capability}/domain/depth-${depth}/tests`,
        files: testFilesUnder(`${here}*.ts`),
        rules: restrict(heraldOnly([lib('kernel'), lib('testing')], `${says}.`), NO_NEST, NO_IO, escape),
      },
    ];
  }).flat();
  return [...catchAll, ...perDepth];
});

export default defineConfig(
  // openapi-metadata.generated.ts: written by `npm run openapi:metadata` (scripts/openapi-metadata.ts), checked by test/e2e/openapi.
  // libs/client/src/generated/: written by `npm run client:generate` (scripts/client-generate.ts), checked by test/e2e/client-sdk.
  globalIgnores(
    [
      'dist/',
      'node_modules/',
      'bench/results/',
      'coverage/',
      '**/openapi-metadata.generated.ts',
      'libs/client/dist/',
      'libs/worker/dist/',
      'libs/client/src/generated/',
    ],
    'herald/ignores',
  ),

  js.configs.recommended,

  {
    name: 'herald/typescript',
    // .tsx: the web dashboard (apps/dashboard, Preact), type-checked through its own tsconfig.
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    // Turned off or relaxed here, all stylistic for this code and each a source of churn:
    // require-await (off), no-unused-vars (`_` names and rest siblings allowed),
    // restrict-template-expressions (`never` allowed), prefer-promise-reject-errors
    // (a caught `unknown` allowed). Tests: see 'herald/tests'. Formatting: eslint-config-prettier.
    rules: {
      // Off: stylistic for this codebase, and "fixing" it would churn ~60 places.
      // `async` without `await` is how the adapters implement Promise-returning ports;
      // dropping `async` would also turn a synchronous throw into a thrown exception
      // instead of a rejected promise, i.e. change behaviour.
      '@typescript-eslint/require-await': 'off',
      // `_`-prefixed names are deliberate, and `const { a, ...rest } = x` drops `a` on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `never` in a message is the "this cannot happen, but JS callers can" check
      // (e.g. view-schema.ts validating definitions at run time); everything else stays checked.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNever: true }],
      // Passing on a caught `unknown` (`catch (error) { reject(error) }`) is a rethrow, as
      // only-throw-error already allows; rejecting with a string or a literal is still an error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },

  {
    // Config files run by Node as CommonJS/ESM scripts, outside the TypeScript project.
    name: 'herald/node-scripts',
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: {
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
  },

  {
    // Tests may use `any` and `!`. The no-unsafe-* rules only follow `any` around,
    // so they go with it; unbound-method misfires on `expect(port.method)` and on
    // passing port methods to the contract suites.
    name: 'herald/tests',
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  // Dependency rules: everywhere, then per lib, then the domain folders.
  { name: 'herald/deps/everywhere', files: ['**/*.{ts,js,cjs,mjs}'], rules: restrict() },
  {
    // Production code of the apps never loads the test-support lib (it is not built).
    name: 'herald/deps/apps',
    files: ['apps/**/*.ts'],
    ignores: TEST_FILES,
    rules: restrict({ regex: '^@herald/testing(/|$)', message: '@herald/testing is test support; it is not part of a build.' }),
  },
  ...libBlocks,
  ...domainBlocks,
  {
    // The client SDK runs in browsers too: fetch, AbortController, TextDecoder, ReadableStream, never a Node module
    // (its build, libs/client/tsconfig.build.json, has no Node types either, so Node globals fail to compile).
    name: 'herald/deps/client/browser',
    files: ['libs/client/**/*.ts'],
    ignores: TEST_FILES,
    rules: restrict(heraldOnly([], 'libs/client is the client SDK of the API (Node and browsers): it imports no @herald/* lib.'), NO_NODE_BUILTINS),
  },
  {
    // The web dashboard runs in the browser and speaks to Herald over HTTP only, like any client.
    name: 'herald/deps/dashboard',
    files: ['apps/dashboard/**/*.{ts,tsx}'],
    rules: restrict(
      heraldOnly([lib('client')], 'apps/dashboard is a browser app: it imports only @herald/client (the API over HTTP), no server lib.'),
    ),
  },

  // Last: turns off the rules that would fight prettier.
  prettier,
);
