// One config, three kinds of test told apart by suffix:
//   *.unit.spec.ts  pure logic, no I/O
//   *.int.spec.ts   one adapter against a real store/broker (the contract suites)
//   *.e2e.spec.ts   the running service over HTTP with a real callback receiver
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.(unit|int|e2e)\\.spec\\.ts$',
  transform: { '^.+\\.ts$': ['@swc/jest', swc], '/node_modules/(eventsource(-parser)?|content-disposition)/.+\\.js$': ['@swc/jest', swc] },
  // The eventsource package (and its parser) ship ES modules only: compiled to CommonJS like our own code. So does
  // content-disposition, which @fastify/static (Swagger UI's assets, GET /api/docs) requires: Node 20 loads it, jest cannot.
  transformIgnorePatterns: ['/node_modules/(?!(eventsource(-parser)?|content-disposition)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@herald/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@herald/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testTimeout: 30_000,
  // One file at a time: lateness assertions need the CPU, and the broker-restart test
  // must not pull RabbitMQ from under another file's suite.
  maxWorkers: 1,
};
