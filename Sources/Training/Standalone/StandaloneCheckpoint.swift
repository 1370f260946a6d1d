import Foundation
import Common
import Engine

/// One candidate's unfinished standalone training, saved so that `rdnas standalone` resumes it mid-schedule: a ground
/// truth of hour-long networks otherwise loses up to a whole network to every interruption.
///
/// A safetensors file with the tensors of a supernet checkpoint (`Checkpoint.tensors`: weights, BN statistics,
/// momentum buffers), and in the metadata what the network is (its arch
/// string, seed and training config, which must match on resume), how far it got and what it measured so far.
public struct StandaloneCheckpoint: Codable, Equatable {
  static let format = "rdnas-standalone-checkpoint-1"

  /// Identity: a checkpoint resumes only the same network under the same schedule.
  public var arch: String
  public var seed: UInt64
  public var config: ClassifierTrainingConfig
  /// Progress: optimiser steps done, seconds spent training so far, the precisions it ran in (in order),
  /// the steps at which earlier runs resumed, and the mid-schedule measurements taken (acc@e / loss@e).
  public var step: Int
  public var seconds: Double
  public var precisions: [String]
  public var resumedAt: [Int]
  public var midway: [String: String]

  public init(arch: String, seed: UInt64, config: ClassifierTrainingConfig, step: Int, seconds: Double,
              precisions: [String], resumedAt: [Int], midway: [String: String]) {
    self.arch = arch; self.seed = seed; self.config = config; self.step = step; self.seconds = seconds
    self.precisions = precisions; self.resumedAt = resumedAt; self.midway = midway
  }

  /// Writes the checkpoint atomically (a kill mid-write leaves the previous one).
  public func write(path: String, store: ParameterStore, optimizer: SGD) throws {
    let tensors = Checkpoint.tensors(of: store, optimizer: optimizer)
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    try SafeTensors.write(tensors, metadata: ["format": Self.format, "rdnas_version": RDNASVersion.string,
                                              "standalone": String(decoding: try enc.encode(self), as: UTF8.self)],
                          path: path)
  }

  /// Reads the checkpoint at `path`, checks that it belongs to this network (`arch`, `seed`, `config`), restores its
  /// weights into `store` and returns it with the momentum to resume from. A truncated or foreign file, or one written
  /// for another network or schedule, is one clear error naming the file.
  public static func resume(path: String, arch: String, seed: UInt64, config: ClassifierTrainingConfig,
                            into store: ParameterStore) throws -> (StandaloneCheckpoint, momentum: [String: [Float]]) {
    let (tensors, meta) = try SafeTensors.read(path: path)
    guard meta["format"] == format, let text = meta["standalone"] else {
      throw RDNASError.badFile(path: path, reason: "not a standalone checkpoint (no \(format) tag in its metadata)")
    }
    let m: StandaloneCheckpoint
    do { m = try JSONDecoder().decode(StandaloneCheckpoint.self, from: Data(text.utf8)) } catch let e as DecodingError {
      throw RDNASError.badFile(path: path, reason: "metadata: \(ErrorReport.describe(e))")
    }
    func mismatch(_ what: String) -> RDNASError {
      .badFile(path: path, reason: "written for \(what); delete it to train this candidate from scratch")
    }
    guard m.arch == arch else { throw mismatch("architecture \(m.arch), not \(arch)") }
    guard m.seed == seed else { throw mismatch("seed \(m.seed), not \(seed)") }
    guard m.config == config else { throw mismatch("other training options (epochs, batch, rate, augmentation)") }
    try Checkpoint.restoreWeights(tensors, into: store, path: path)
    return (m, Checkpoint.momentum(in: tensors))
  }
}
