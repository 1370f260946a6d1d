import Foundation
import Common
import Engine

/// Where a run stands, saved in every checkpoint's metadata so `--resume` continues exactly.
public struct TrainerState: Codable, Sendable, Equatable {
  public var step: Int            // completed optimiser steps
  public var epoch: Int           // epoch of the next batch
  public var batchInEpoch: Int    // index of the next batch within that epoch
  public var rng: [UInt64]        // the sampler's random source
  public var proxy: String?       // the guiding proxy in force
  public var previousLandmarkAccuracies: [Double]?
  public init(step: Int, epoch: Int, batchInEpoch: Int, rng: [UInt64], proxy: String?) {
    self.step = step; self.epoch = epoch; self.batchInEpoch = batchInEpoch; self.rng = rng; self.proxy = proxy
  }
}

/// A safetensors checkpoint of a supernet run: the weights and BN statistics under their PyTorch-style
/// names (OIHW / [out, in] / [C] layouts), the optimiser's momentum buffers as `optimizer.momentum.<name>`,
/// and in the metadata the trainer state, the run config and a format tag.
public enum Checkpoint {
  static let format = "rdnas-checkpoint-1"
  static let momentumPrefix = "optimizer.momentum."

  public static func save(path: String, store: ParameterStore, optimizer: SGD?, state: TrainerState,
                          config: TrainingConfig) throws {
    let tensors = self.tensors(of: store, optimizer: optimizer)
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    let meta: [String: String] = [
      "format": format, "rdnas_version": RDNASVersion.string,
      "state": String(decoding: try enc.encode(state), as: UTF8.self),
      "config": String(decoding: try enc.encode(config), as: UTF8.self),
      "optimizer_steps": String(optimizer?.steps ?? 0),
    ]
    try SafeTensors.write(tensors, metadata: meta, path: path)
  }

  public struct Loaded {
    public var tensors: [String: SafeTensors.Entry]
    public var state: TrainerState?
    public var config: TrainingConfig?
    public var optimizerSteps: Int
  }

  /// Reads and checks an rdnas checkpoint (a truncated or foreign file is rejected with a clear message).
  public static func load(path: String) throws -> Loaded {
    let (tensors, meta) = try SafeTensors.read(path: path)
    guard meta["format"] == format else {
      throw RDNASError.badFile(path: path, reason: "not an rdnas checkpoint (no \(format) tag in its metadata)")
    }
    let dec = JSONDecoder()
    func decode<T: Decodable>(_ t: T.Type, _ key: String) throws -> T? {
      guard let text = meta[key] else { return nil }
      do { return try dec.decode(T.self, from: Data(text.utf8)) } catch let e as DecodingError {
        throw RDNASError.badFile(path: path, reason: "metadata '\(key)': \(ErrorReport.describe(e))")
      }
    }
    let state = try decode(TrainerState.self, "state")
    let config = try decode(TrainingConfig.self, "config")
    return Loaded(tensors: tensors, state: state, config: config, optimizerSteps: Int(meta["optimizer_steps"] ?? "0") ?? 0)
  }

  /// The tensors every rdnas checkpoint holds (supernet runs and standalone networks alike): the store's weights and
  /// BN statistics under their names, then the optimiser's momentum buffers as `optimizer.momentum.<name>`.
  static func tensors(of store: ParameterStore, optimizer: SGD?) -> [(String, SafeTensors.Entry)] {
    var tensors: [(String, SafeTensors.Entry)] = store.all.map { ($0.name, .init(shape: $0.shape, values: $0.values)) }
    for (name, buf) in (optimizer?.buffers ?? [:]).sorted(by: { $0.key < $1.key }) {
      tensors.append((momentumPrefix + name, .init(shape: store[name]?.shape ?? [buf.count], values: buf)))
    }
    return tensors
  }

  /// The momentum buffers among a checkpoint's tensors, by parameter name.
  static func momentum(in tensors: [String: SafeTensors.Entry]) -> [String: [Float]] {
    var buffers: [String: [Float]] = [:]
    for (name, e) in tensors where name.hasPrefix(momentumPrefix) {
      buffers[String(name.dropFirst(momentumPrefix.count))] = e.values
    }
    return buffers
  }

  /// Copies weights into `store`; every parameter must be present with its exact shape.
  public static func restoreWeights(_ loaded: Loaded, into store: ParameterStore, path: String) throws {
    try restoreWeights(loaded.tensors, into: store, path: path)
  }

  static func restoreWeights(_ tensors: [String: SafeTensors.Entry], into store: ParameterStore, path: String) throws {
    for p in store.all {
      guard let e = tensors[p.name] else {
        throw RDNASError.badFile(path: path, reason: "checkpoint lacks \(p.name): it was written for another network")
      }
      guard e.shape == p.shape else {
        throw RDNASError.badFile(path: path, reason: "\(p.name) has shape \(e.shape) in the checkpoint, \(p.shape) here")
      }
      p.values = e.values
    }
  }

  public static func restoreOptimizer(_ loaded: Loaded, into optimizer: SGD) throws {
    try optimizer.restore(buffers: momentum(in: loaded.tensors), steps: loaded.optimizerSteps)
  }
}
