import Engine
import Foundation
import ONNXSchema
import Search
import Supernet
import SwiftProtobuf

/// A standalone subnet (`SubnetExport.standalone`) as an ONNX model: the same layers in the same order as
/// its Swift forward pass (`ResNetSupernet.features`, `NB201Supernet.cell`) and as `tools/rdnas_torch.py`,
/// in inference form (BN with running statistics). Input `input`: float32 NCHW, normalised as the export's
/// metadata says; output `logits`: [N, classes]. Opset 13, which onnxruntime and every converter read.
public enum SubnetONNX {
  public static let opset: Int64 = 13
  /// IR version 7 goes with opset 13 (onnx/docs/Versioning.md).
  public static let irVersion: Int64 = 7
  /// rdnas's BN epsilon (fixed in the engine's BatchNorm op).
  static let batchNormEpsilon: Float = 1e-5

  /// The serialized model of `net` (a standalone network for `arch`), with `metadata` as metadata_props.
  public static func serialized(_ net: Supernet, arch: Encoding, metadata: [String: String]) throws -> Data {
    try model(net, arch: arch, metadata: metadata).serializedData()
  }

  public static func model(_ net: Supernet, arch: Encoding, metadata: [String: String]) throws -> Onnx_ModelProto {
    var emitter = Emitter(net: net)
    let input = "input", inputShape: [Int], classes: Int
    let logits: String
    switch net {
    case let r as ResNetSupernet:
      let c = r.resnet.config
      inputShape = [c.inputChannels, c.inputSize, c.inputSize]
      classes = c.classes
      logits = try emitter.resnet(input, space: r.resnet, arch: arch, activation: r.activation)
    case let n as NB201Supernet:
      let c = n.nb201.config
      inputShape = [c.inputChannels, c.inputSize, c.inputSize]
      classes = c.classes
      logits = try emitter.nb201(input, space: n.nb201, arch: arch)
    default:
      throw ONNXExportError("no graph writer for the \(net.space.name) space")
    }
    let unused = net.store.all.map(\.name).filter { !emitter.used.contains($0) }
    guard unused.isEmpty else {
      throw ONNXExportError("the graph leaves \(unused.joined(separator: ", ")) unused: it does not match the network")
    }
    var graph = Onnx_GraphProto()
    graph.name = "rdnas-\(net.space.name)-\(arch.description)"
    graph.node = emitter.g.nodes
    graph.initializer = emitter.g.initializers
    graph.input = [ONNXGraphBuilder.valueInfo(input, batchedShape: inputShape)]
    graph.output = [ONNXGraphBuilder.valueInfo(logits, batchedShape: [classes])]
    var model = Onnx_ModelProto()
    model.irVersion = irVersion
    var opsetID = Onnx_OperatorSetIdProto()
    opsetID.domain = ""
    opsetID.version = opset
    model.opsetImport = [opsetID]
    model.producerName = "rdnas"
    model.graph = graph
    model.metadataProps = metadata.sorted { $0.key < $1.key }.map { kv in
      var p = Onnx_StringStringEntryProto()
      p.key = kv.key
      p.value = kv.value
      return p
    }
    return model
  }
}

/// The layers of both spaces over a graph builder, reading weights from the network's parameter store by
/// the names the Swift layers gave them.
struct Emitter {
  typealias B = ONNXGraphBuilder
  var g = ONNXGraphBuilder()
  let params: [String: Parameter]
  private(set) var used: Set<String> = []

  init(net: Supernet) {
    params = Dictionary(uniqueKeysWithValues: net.store.all.map { ($0.name, $0) })
  }

  /// The parameter `name` as an initializer (once; later uses share it).
  mutating func weight(_ name: String) throws -> String {
    guard let p = params[name] else { throw ONNXExportError("the network has no tensor \(name)") }
    if used.insert(name).inserted { _ = try g.constant(name, shape: p.shape, values: p.values) }
    return name
  }

  mutating func conv(_ x: String, _ name: String, stride: Int = 1) throws -> String {
    let w = try weight(name)
    let k = params[name]!.shape[2]
    return g.node("Conv", [x, w], attributes: [B.ints("kernel_shape", [k, k]), B.ints("strides", [stride, stride]),
                                               B.ints("pads", [k / 2, k / 2, k / 2, k / 2])])
  }

  /// Inference-form BN; a non-affine BN (NB201's cell convs) gets scale 1 and shift 0.
  mutating func batchNorm(_ x: String, _ prefix: String) throws -> String {
    let mean = try weight(prefix + ".running_mean"), variance = try weight(prefix + ".running_var")
    let scale: String, shift: String
    if params[prefix + ".weight"] != nil {
      scale = try weight(prefix + ".weight")
      shift = try weight(prefix + ".bias")
    } else {
      let c = params[prefix + ".running_mean"]!.count
      scale = try g.constant(prefix + ".onnx_unit_scale", shape: [c], values: [Float](repeating: 1, count: c))
      shift = try g.constant(prefix + ".onnx_zero_shift", shape: [c], values: [Float](repeating: 0, count: c))
    }
    return g.node("BatchNormalization", [x, scale, shift, mean, variance],
                  attributes: [B.float("epsilon", SubnetONNX.batchNormEpsilon)])
  }

  mutating func relu(_ x: String) -> String { g.node("Relu", [x]) }
  mutating func add(_ a: String, _ b: String) -> String { g.node("Add", [a, b]) }

  /// Average pooling that divides by the in-bounds count (PyTorch's count_include_pad=False, rdnas's pool).
  mutating func averagePool(_ x: String, kernel: Int, stride: Int, pad: Int) -> String {
    g.node("AveragePool", [x], attributes: [B.ints("kernel_shape", [kernel, kernel]),
                                            B.ints("strides", [stride, stride]),
                                            B.ints("pads", [pad, pad, pad, pad]), B.int("count_include_pad", 0)])
  }

  /// Global average pool, flatten, fully connected layer (weight [classes, features], as PyTorch's Linear).
  mutating func classifier(_ x: String, _ prefix: String) throws -> String {
    let pooled = g.node("Flatten", [g.node("GlobalAveragePool", [x])], attributes: [B.int("axis", 1)])
    return g.node("Gemm", [pooled, try weight(prefix + ".weight"), try weight(prefix + ".bias")],
                  attributes: [B.int("transB", 1)], output: "logits")
  }

  // MARK: - resnet space

  mutating func resnet(_ input: String, space: ResNetSpace, arch: Encoding, activation: OuterActivation) throws
    -> String {
    let a = space.decode(arch)
    var h = relu(try batchNorm(try conv(input, "conv1.weight"), "bn1"))
    var width = a.stemWidth
    for (s, blocks) in a.blocks.enumerated() {
      for (b, w) in blocks.enumerated() {
        let p = "layer\(s + 1).\(b)", stride = space.stride(stage: s, block: b)
        let mid = relu(try batchNorm(try conv(h, p + ".conv1.weight", stride: stride), p + ".bn1"))
        let y = try batchNorm(try conv(mid, p + ".conv2.weight"), p + ".bn2")
        let shortcut: String
        if space.hasProjectionShortcut(stage: s, block: b) {
          shortcut = try batchNorm(try conv(h, p + ".downsample.0.weight", stride: stride), p + ".downsample.1")
        } else if w.out == width {
          shortcut = h
        } else {
          // The Swift forward's sliceChannels: the identity keeps the leading channels of a wider input.
          let starts = try g.int64Constant(g.fresh("slice_start"), [0])
          let ends = try g.int64Constant(g.fresh("slice_end"), [Int64(w.out)])
          let axes = try g.int64Constant(g.fresh("slice_axis"), [1])
          shortcut = g.node("Slice", [h, starts, ends, axes])
        }
        h = try outer(add(y, shortcut), activation, slope: p + ".act.weight")
        width = w.out
      }
    }
    return try classifier(h, "fc")
  }

  mutating func outer(_ x: String, _ activation: OuterActivation, slope: String) throws -> String {
    switch activation {
    case .relu: return relu(x)
    case .prelu: return g.node("PRelu", [x, try weight(slope)])
    case .swish: return g.node("Mul", [x, g.node("Sigmoid", [x])])
    case .mish: return g.node("Mul", [x, g.node("Tanh", [g.node("Softplus", [x])])])
    }
  }

  // MARK: - nb201 space

  mutating func nb201(_ input: String, space: NB201Space, arch: Encoding) throws -> String {
    let cfg = space.config
    var h = try batchNorm(try conv(input, "stem.0.weight"), "stem.1")
    var index = 0
    for stage in 0..<3 {
      if stage > 0 {
        let p = "cells.\(index)"
        let a = try batchNorm(try conv(relu(h), p + ".conv_a.conv.weight", stride: 2), p + ".conv_a.bn")
        let b = try batchNorm(try conv(relu(a), p + ".conv_b.conv.weight"), p + ".conv_b.bn")
        h = add(b, try conv(averagePool(h, kernel: 2, stride: 2, pad: 0), p + ".downsample.conv.weight"))
        index += 1
      }
      for _ in 0..<cfg.N {
        h = try cell(h, prefix: "cells.\(index)", arch: arch)
        index += 1
      }
    }
    return try classifier(relu(try batchNorm(h, "lastact.0")), "classifier")
  }

  mutating func cell(_ input: String, prefix: String, arch: Encoding) throws -> String {
    var nodes = [input]
    for to in 1...3 {
      var terms: [String] = []
      for (e, edge) in NB201Space.edges.enumerated() where edge.to == to {
        let src = nodes[edge.from], p = "\(prefix).edges.\(e)"
        switch arch.digits[e] {
        case NB201Space.opSkip: terms.append(src)
        case NB201Space.opConv1x1:
          terms.append(try batchNorm(try conv(relu(src), p + ".nor_conv_1x1.conv.weight"), p + ".nor_conv_1x1.bn"))
        case NB201Space.opConv3x3:
          terms.append(try batchNorm(try conv(relu(src), p + ".nor_conv_3x3.conv.weight"), p + ".nor_conv_3x3.bn"))
        case NB201Space.opAvgPool3x3: terms.append(averagePool(src, kernel: 3, stride: 1, pad: 1))
        default: break  // none contributes zeros
        }
      }
      if let first = terms.first {
        nodes.append(terms.dropFirst().reduce(first) { add($0, $1) })
      } else {
        // A node with only `none` inputs is zeros of the input's shape (Sub keeps the shape; x − x = 0 for
        // every finite x, which BN outputs are).
        nodes.append(g.node("Sub", [input, input]))
      }
    }
    return nodes[3]
  }
}
