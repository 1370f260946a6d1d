import Common
import Foundation
import ONNXSchema

/// Accumulates an ONNX graph one node at a time: every emitter returns the name of the value it made, so a
/// network is written as nested calls in the order of its forward pass (as the Swift forward is written).
/// Weights become initializers under the names rdnas gives them, so a reader of the ONNX file finds the same
/// tensor names as in the safetensors export.
struct ONNXGraphBuilder {
  private(set) var nodes: [Onnx_NodeProto] = []
  private(set) var initializers: [Onnx_TensorProto] = []
  private var initializerNames: Set<String> = []
  private var counter = 0

  /// A value name not used before, readable in a viewer (`relu_12`).
  mutating func fresh(_ stem: String) -> String {
    counter += 1
    return "\(stem)_\(counter)"
  }

  /// A float32 initializer; adding the same name twice is a programming error the export reports.
  mutating func constant(_ name: String, shape: [Int], values: [Float]) throws -> String {
    guard shape.reduce(1, *) == values.count else {
      throw ONNXExportError("\(name): \(values.count) values for shape \(shape)")
    }
    guard initializerNames.insert(name).inserted else { throw ONNXExportError("\(name) written twice") }
    var t = Onnx_TensorProto()
    t.name = name
    t.dims = shape.map(Int64.init)
    t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    // raw_data is little-endian float32 by the spec, which is this machine's layout.
    t.rawData = values.withUnsafeBufferPointer { Data(buffer: $0) }
    initializers.append(t)
    return name
  }

  mutating func int64Constant(_ name: String, _ values: [Int64]) throws -> String {
    guard initializerNames.insert(name).inserted else { throw ONNXExportError("\(name) written twice") }
    var t = Onnx_TensorProto()
    t.name = name
    t.dims = [Int64(values.count)]
    t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
    t.int64Data = values
    initializers.append(t)
    return name
  }

  /// One node; returns its (single) output's name.
  @discardableResult
  mutating func node(_ op: String, _ inputs: [String], attributes: [Onnx_AttributeProto] = [],
                     output: String? = nil) -> String {
    let out = output ?? fresh(op.lowercased())
    var n = Onnx_NodeProto()
    n.opType = op
    n.name = out
    n.input = inputs
    n.output = [out]
    n.attribute = attributes
    nodes.append(n)
    return out
  }

  static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .ints
    a.ints = values.map(Int64.init)
    return a
  }

  static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .int
    a.i = Int64(value)
    return a
  }

  static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .float
    a.f = value
    return a
  }

  /// A float32 NCHW (or [N, classes]) value whose first dimension is the symbolic batch size.
  static func valueInfo(_ name: String, batchedShape rest: [Int]) -> Onnx_ValueInfoProto {
    var shape = Onnx_TensorShapeProto()
    var batch = Onnx_TensorShapeProto.Dimension()
    batch.dimParam = "N"
    shape.dim = [batch] + rest.map { d in
      var dim = Onnx_TensorShapeProto.Dimension()
      dim.dimValue = Int64(d)
      return dim
    }
    var tensor = Onnx_TypeProto.Tensor()
    tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    tensor.shape = shape
    var type = Onnx_TypeProto()
    type.tensorType = tensor
    var v = Onnx_ValueInfoProto()
    v.name = name
    v.type = type
    return v
  }
}

/// A graph that cannot be written is a bug of the writer (or a network it does not know), reported as one line.
func ONNXExportError(_ message: String) -> RDNASError { .failure("onnx export: " + message) }
