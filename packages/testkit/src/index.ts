export { testEngines, testPostgresUrl, uniqueName } from './engines';
export { connectTestDatabase } from './database';
export { testAuth, type TestAuth } from './auth';
export { startProcess, type RunningProcess } from './process';
export { startLoggedProcess, type LoggedProcess, type LogLine } from './logged-process';
export { privateRedis, type PrivateRedis } from './private-redis';
export { graphqlRequest, subgraphRequest, principalOf, type GraphQLResponse } from './http';
export { lookupsFor } from './lookups';
