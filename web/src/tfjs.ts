// tfjs-core with its CPU backend registered: the module that generated tfjs code imports as
// '@tensorflow/tfjs-core' in the page (through the import map of index.html).
import '@tensorflow/tfjs-backend-cpu';

export * from '@tensorflow/tfjs-core';
