export { connectDatabase, type DatabaseOptions } from './connect-database';
export { CommandCounter } from './command-counter';
export { isDuplicateKeyError } from './errors';
export { insertEach, insertIfAbsent } from './insert-if-absent';
export { insertNew } from './insert-new';
export { coalescedInserts, MAX_DOCS_PER_INSERT } from './coalesced-inserts';
export { ensureCollections } from './ensure-collections';
export { engineOf, type DocumentEngine } from './engine';
export { findWhereIn, lookupsPayOff, type FindWhereInOptions } from './find-where-in';
export { knownCollectionSize, refreshCollectionSize } from './collection-size';
export {
  DeadlineExceededError,
  checkDeadline,
  deadlinePlugin,
  withDeadline,
  type Deadline,
} from './deadline';
