import Foundation
import Common

/// How `allReduce` combines the ranks' buffers.
public enum Reduction: Sendable {
  case sum
  /// The sum divided by the number of ranks.
  case average
}

/// The operations data-parallel training and sharded evaluation need from a group of processes, and nothing
/// more: every rank calls each operation in the same order (they are collective), and each call returns
/// only when the data it needs from the other ranks has arrived. `SingleProcess` is the group of one (every
/// operation is the identity), `MPICollective` the processes started by `mpirun`.
public protocol Collective: AnyObject, Sendable {
  /// This process's position in the group, 0..<size. Rank 0 writes the run folder and talks to the user.
  var rank: Int { get }
  var size: Int { get }
  /// Combines `buffer` element-wise across ranks; afterwards every rank holds the same result.
  func allReduce(_ buffer: UnsafeMutableBufferPointer<Float>, _ op: Reduction)
  /// `root`'s bytes on every rank (other ranks' arguments are ignored).
  func broadcast(_ bytes: [UInt8], root: Int) -> [UInt8]
  /// Every rank's bytes, indexed by rank, on every rank.
  func allGather(_ bytes: [UInt8]) -> [[UInt8]]
  func barrier()
  /// Ends every process of the group with `code` (a failure on one rank must not leave the others waiting
  /// forever in a collective).
  func abort(code: Int32) -> Never
}

extension Collective {
  public var isRoot: Bool { rank == 0 }

  public func allReduce(_ values: inout [Float], _ op: Reduction) {
    values.withUnsafeMutableBufferPointer { allReduce($0, op) }
  }

  /// `root`'s value on every rank. JSON keeps Doubles exact (shortest round-trip representation), and
  /// non-finite ones travel as strings.
  public func broadcast<T: Codable>(_ value: T, root: Int = 0) throws -> T {
    let bytes = rank == root ? [UInt8](try CollectiveCoding.encoder().encode(value)) : []
    return try CollectiveCoding.decoder().decode(T.self, from: Data(broadcast(bytes, root: root)))
  }

  /// Every rank's value, indexed by rank.
  public func allGather<T: Codable>(_ value: T) throws -> [T] {
    let parts = allGather([UInt8](try CollectiveCoding.encoder().encode(value)))
    return try parts.map { try CollectiveCoding.decoder().decode(T.self, from: Data($0)) }
  }

  /// This rank's contiguous part of `0..<total` (the first ranks get one more when it does not divide).
  public func part(of total: Int) -> Range<Int> {
    Self.part(rank, of: size, total: total)
  }

  public static func part(_ index: Int, of count: Int, total: Int) -> Range<Int> {
    (index * total / count)..<((index + 1) * total / count)
  }
}

enum CollectiveCoding {
  static let nonFinite = (positive: "inf", negative: "-inf", nan: "nan")

  static func encoder() -> JSONEncoder {
    let e = JSONEncoder()
    e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: nonFinite.positive,
                                                            negativeInfinity: nonFinite.negative, nan: nonFinite.nan)
    return e
  }

  static func decoder() -> JSONDecoder {
    let d = JSONDecoder()
    d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: nonFinite.positive,
                                                              negativeInfinity: nonFinite.negative, nan: nonFinite.nan)
    return d
  }
}

/// The group of one: what rdnas is without `mpirun`.
public final class SingleProcess: Collective {
  public init() {}
  public var rank: Int { 0 }
  public var size: Int { 1 }
  public func allReduce(_ buffer: UnsafeMutableBufferPointer<Float>, _ op: Reduction) {}
  public func broadcast(_ bytes: [UInt8], root: Int) -> [UInt8] { bytes }
  public func allGather(_ bytes: [UInt8]) -> [[UInt8]] { [bytes] }
  public func barrier() {}
  public func abort(code: Int32) -> Never { exit(code) }
}

extension Range where Bound == Int {
  /// The range moved by `offset` (a part of `0..<n` placed inside a larger range).
  public func shifted(by offset: Int) -> Range<Int> { (lowerBound + offset)..<(upperBound + offset) }
}
