// One Jest run over the whole tree. The global setup starts FerretDB and makes sure Redis answers,
// on ports and data of their own, so tests never touch a developer's running stack.
const fs = require('node:fs');
const path = require('node:path');

const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
};

const workspaceDirs = ['packages', 'services']
  .flatMap((parent) =>
    fs.existsSync(path.join(__dirname, parent))
      ? fs.readdirSync(path.join(__dirname, parent)).map((name) => `${parent}/${name}`)
      : [],
  )
  .concat(['gateway'])
  .filter((dir) => fs.existsSync(path.join(__dirname, dir, 'package.json')));

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  globalSetup: '<rootDir>/packages/testkit/src/global-setup.ts',
  globalTeardown: '<rootDir>/packages/testkit/src/global-teardown.ts',
  testTimeout: 60000,
  projects: workspaceDirs.map((dir) => ({
    displayName: dir,
    rootDir: path.join(__dirname, dir),
    testMatch: ['<rootDir>/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    transform,
    testEnvironment: 'node',
  })),
};
