// tfjs for training: tfjs-core with a backend selected and every gradient registered.
// tfjs-core's Node bundle registers only a few gradients by itself; tfjs-layers' Node bundle
// registers all of them against the same engine, so it is imported once for that effect.
import type { Backend } from './job.js';

export type Tf = typeof import('@tensorflow/tfjs-core');

export async function trainingTf(backend: Backend): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-layers');
  await (backend === 'cpu' ? import('@tensorflow/tfjs-backend-cpu') : import('@tensorflow/tfjs-backend-wasm'));
  // Silences tfjs's advice to install tfjs-node, printed on first use in Node.
  tf.env().set('PROD', true);
  if (!(await tf.setBackend(backend))) throw new Error(`the tfjs ${backend} backend failed to initialize`);
  await tf.ready();
  return tf;
}
