export {
  REDIS_VARIABLES,
  defaultSubgraphUrl,
  type ModuleExport,
  type ProcessEntry,
  type ServiceEntry,
} from './service-entry';
export { GATEWAY, PLATFORM_QUEUES, SERVICES, serviceNamed } from './services';
