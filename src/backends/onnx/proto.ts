// Small constructors for the ONNX protobuf messages the exporter writes (onnx-proto's ModelProto).
import onnxProto from 'onnx-proto';
import type { onnx as types } from 'onnx-proto';

export const { onnx } = onnxProto;
export type TensorProto = types.ITensorProto;
export type AttributeProto = types.IAttributeProto;
export type NodeProto = types.INodeProto;
export type ValueInfoProto = types.IValueInfoProto;
export type ModelProto = types.IModelProto;

/** ONNX stores tensor data little-endian; a Float32Array's bytes are in the machine's order. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>): TensorProto {
  const data = Float32Array.from(values);
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  if (LITTLE_ENDIAN) bytes.set(new Uint8Array(data.buffer));
  else data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes };
}

export function int64Tensor(name: string, values: readonly number[]): TensorProto {
  return { name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: [...values] };
}

export function intAttribute(name: string, i: number): AttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

export function floatAttribute(name: string, f: number): AttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f };
}

/** A float32 `[batch, features]` graph input or output; `batch` is a symbolic dimension. */
export function batchedFloat(name: string, features: number): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'batch' }, { dimValue: features }] },
      },
    },
  };
}
