export { loadConfig, loadConfigOrExit, ConfigError, formatConfigError } from './load-config';
export {
  port,
  url,
  logLevel,
  secret,
  booleanFlag,
  milliseconds,
  internalAuth,
  eventRelay,
  jobsConnection,
} from './fields';
