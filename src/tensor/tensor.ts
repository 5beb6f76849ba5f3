// In-memory weights: canonical tensor names to float data in PyTorch layout. Below ir/ and
// weights/: the IR names the tensors a model needs, and weights/ reads, writes and checks them.

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array;
}

export type Weights = ReadonlyMap<string, Tensor>;

/** A tensor a model needs: its canonical name and shape. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
}
