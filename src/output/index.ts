// Output folders: atomic writing of emitted files, with a manifest of what spinal wrote.
export { writeOutput, OutputError, type FileOps, type WriteOutputOptions, type WriteOutputResult } from './write.js';
export { MANIFEST_NAME, readManifest } from './manifest.js';
