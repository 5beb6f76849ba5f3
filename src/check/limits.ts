// Limits the checker enforces, so that counts stay exact and generated code never overflows.

export interface Limits {
  /** Largest size, width or ratio: keeps every index within a signed 32-bit integer. */
  readonly maxSize: number;
  /** Largest number of sub-layers in one spinal block. */
  readonly maxLayers: number;
  /** Largest number of parameters (weights, biases, batchnorm) of one model. */
  readonly maxParameters: number;
  /** Largest number of multiply-accumulates of one model for one sample. */
  readonly maxMacs: number;
  /**
   * Largest number of layers (dense, batchnorm, output and spinal sub-layers) of all the models
   * and variants of one file together, so a short file of many variants cannot take minutes.
   */
  readonly maxFileLayers?: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxSize: 2 ** 31 - 1,
  maxLayers: 4096,
  maxParameters: 2 ** 31 - 1, // 8 GiB of float32 weights
  maxMacs: Number.MAX_SAFE_INTEGER,
  maxFileLayers: 65_536,
};
