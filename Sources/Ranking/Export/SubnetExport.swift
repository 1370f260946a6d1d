import Common
import Data
import Engine
import Foundation
import Search
import Supernet

/// A subnet of a trained supernet as a standalone network of exactly its shapes, with the weights it uses
/// in the supernet, written as safetensors that `tools/rdnas_torch.py` (or `rdnas standalone --init-from`)
/// loads.
public enum SubnetExport {
  /// The `format` metadata value of an export; readers refuse other values.
  public static let format = "rdnas-subnet-1"
  public static let fileName = "model.safetensors"

  /// A standalone network for `arch` built like the supernet (same space, same outer activation), each
  /// tensor the supernet's tensor of the same name cut to the standalone shape. Every supernet layer slices
  /// its weights as a prefix along each dimension (`weight[:out, :in]`, BN `[:c]`), so the cut is a prefix
  /// in every dimension; the parameter names are the supernet's.
  public static func standalone(_ arch: Encoding, of supernet: Supernet) throws -> Supernet {
    try supernet.space.validate(arch)
    let net: Supernet
    switch supernet {
    case let r as ResNetSupernet: net = ResNetSupernet(standalone: arch, space: r.resnet, activation: r.activation, seed: 0)
    case let n as NB201Supernet: net = NB201Supernet(space: n.nb201, seed: 0, standalone: arch)
    default: throw RDNASError.badInput("export: no standalone builder for the \(supernet.space.name) space")
    }
    let full = Dictionary(uniqueKeysWithValues: supernet.store.all.map { ($0.name, $0) })
    for p in net.store.all {
      guard let source = full[p.name], source.shape.count == p.shape.count,
            zip(source.shape, p.shape).allSatisfy({ $0 >= $1 }) else {
        throw RDNASError.failure("export: \(p.name) \(p.shape) has no counterpart in the supernet to slice from")
      }
      p.values = prefix(source.values, shape: source.shape, to: p.shape)
    }
    return net
  }

  /// The leading `to[d]` indices of every dimension of a row-major tensor.
  static func prefix(_ values: [Float], shape: [Int], to target: [Int]) -> [Float] {
    guard shape != target else { return values }
    var out = [Float]()
    out.reserveCapacity(target.reduce(1, *))
    var strides = [Int](repeating: 1, count: shape.count)
    for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
    func walk(_ d: Int, _ base: Int) {
      if d == shape.count - 1 {
        out.append(contentsOf: values[base..<(base + target[d])])
        return
      }
      for i in 0..<target[d] { walk(d + 1, base + i * strides[d]) }
    }
    if shape.isEmpty { return values }
    walk(0, 0)
    return out
  }

  /// What a reader needs to rebuild the network: the space, its configuration, the code, the input shape
  /// (NCHW) and the input normalisation.
  public static func metadata(arch: Encoding, of supernet: Supernet, normalization: Normalization?,
                              extra: [String: String] = [:]) throws -> [String: String] {
    let space = supernet.space
    var m = extra
    m["activation"] = (supernet as? ResNetSupernet)?.activation.rawValue ?? "relu"
    m["format"] = format
    m["space"] = space.name
    m["encoding"] = arch.description
    m["arch"] = space.format(arch)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    switch space {
    case let r as ResNetSpace:
      m["space_config"] = String(decoding: try encoder.encode(r.config), as: UTF8.self)
      m["width_table"] = json((0..<r.stageCount).map { s in (0...r.codeCount).map { r.width(stage: s, code: $0) } })
      m["input_shape"] = json([1, r.config.inputChannels, r.config.inputSize, r.config.inputSize])
      m["classes"] = "\(r.config.classes)"
    case let n as NB201Space:
      m["space_config"] = String(decoding: try encoder.encode(n.config), as: UTF8.self)
      m["input_shape"] = json([1, n.config.inputChannels, n.config.inputSize, n.config.inputSize])
      m["classes"] = "\(n.config.classes)"
    default:
      throw RDNASError.badInput("export: no metadata writer for the \(space.name) space")
    }
    if let normalization {
      m["normalization_mean"] = json(normalization.mean.map(Double.init))
      m["normalization_std"] = json(normalization.std.map(Double.init))
    }
    return m
  }

  public static func write(_ net: Supernet, metadata: [String: String], path: String) throws {
    let tensors = net.store.all.map { ($0.name, SafeTensors.Entry(shape: $0.shape, values: $0.values)) }
    try SafeTensors.write(tensors, metadata: metadata, path: path)
  }

  /// Reads an export back: the standalone network (built from the metadata's space and code, every tensor
  /// checked against the file) and the code.
  public static func load(directory: String, activation: OuterActivation? = nil) throws
    -> (net: Supernet, arch: Encoding, metadata: [String: String]) {
    let path = directory + "/" + fileName
    let (tensors, m) = try SafeTensors.read(path: path)
    guard m["format"] == format else {
      throw RDNASError.badFile(path: path, reason: "not an rdnas subnet export (format \(m["format"] ?? "absent"))")
    }
    guard let name = m["space"], let config = m["space_config"], let code = m["encoding"],
          let arch = Encoding(digitString: code) else {
      throw RDNASError.badFile(path: path, reason: "metadata lacks space, space_config or encoding")
    }
    let decoder = JSONDecoder()
    let net: Supernet
    do {
      switch name {
      case "resnet":
        let space = try ResNetSpace(config: try decoder.decode(ResNetSpace.Config.self, from: Data(config.utf8)))
        try space.validate(arch)
        let act = try activation ?? OuterActivation(rawValue: m["activation"] ?? "relu").orThrow("activation")
        net = ResNetSupernet(standalone: arch, space: space, activation: act, seed: 0)
      case "nb201":
        let space = try NB201Space(config: try decoder.decode(NB201Space.Config.self, from: Data(config.utf8)))
        try space.validate(arch)
        net = NB201Supernet(space: space, seed: 0, standalone: arch)
      default:
        throw RDNASError.badFile(path: path, reason: "unknown space '\(name)'")
      }
    } catch let e as RDNASError {
      throw RDNASError.badFile(path: path, reason: "\(e)")
    }
    for p in net.store.all {
      guard let e = tensors[p.name] else { throw RDNASError.badFile(path: path, reason: "lacks \(p.name)") }
      guard e.shape == p.shape else {
        throw RDNASError.badFile(path: path, reason: "\(p.name) is \(e.shape), the code's network needs \(p.shape)")
      }
      p.values = e.values
    }
    return (net, arch, m)
  }

  static func json<T: Encodable>(_ value: T) -> String {
    String(decoding: (try? JSONEncoder().encode(value)) ?? Data("null".utf8), as: UTF8.self)
  }
}

extension Optional {
  func orThrow(_ what: String) throws -> Wrapped {
    guard let self else { throw RDNASError.badInput("export metadata: bad \(what)") }
    return self
  }
}
