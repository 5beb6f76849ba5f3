// Output folders: atomic writing of emitted files, with a manifest of what spinal wrote.
export { writeOutput, recover, siblingsOf, OutputError, NODE_OPS, type FileOps, type Siblings, type WriteOutputOptions, type WriteOutputResult } from './write.js';
export { MANIFEST_NAME, readManifest } from './manifest.js';
export { acquireLock, LockBusyError, type LockHolder, type LockOptions } from './lock.js';
