import Common

/// Two score tables paired up entry by entry, ready for the rank metrics.
public struct ScoreAlignment: Sendable, Equatable {
  public enum JoinField: String, Sendable { case arch, key }

  /// Scores of the first table, in its order, for entries both tables have.
  public var x: [Double]
  /// The second table's scores for the same entries.
  public var y: [Double]
  /// The first table's keys of the paired entries.
  public var keys: [String]
  public var joinedBy: JoinField
  /// Entries of each table with no partner, left out of x and y.
  public var droppedFromFirst: Int
  public var droppedFromSecond: Int
}

extension ScoreTable {
  /// Pairs this table with `other` by architecture string; if no architecture is shared (e.g. one side has
  /// no encodings, so its arch is its key), by key. Throws when neither join finds a common entry, since
  /// every metric would then be meaningless.
  public func aligned(with other: ScoreTable) throws -> ScoreAlignment {
    if let joined = join(other, on: .arch) { return joined }
    if let joined = join(other, on: .key) { return joined }
    throw RDNASError.badInput(
      "\(source) (\(count) entries) and \(other.source) (\(other.count) entries) share no architecture and no key")
  }

  private func join(_ other: ScoreTable, on field: ScoreAlignment.JoinField) -> ScoreAlignment? {
    let path: KeyPath<ScoreEntry, String> = field == .arch ? \.arch : \.key
    var partner = [String: Int](minimumCapacity: other.count)
    for (index, entry) in other.entries.enumerated() { partner[entry[keyPath: path]] = index }
    var x = [Double](), y = [Double](), keys = [String]()
    for entry in entries {
      guard let index = partner[entry[keyPath: path]] else { continue }
      x.append(entry.score); y.append(other.entries[index].score); keys.append(entry.key)
    }
    guard !x.isEmpty else { return nil }
    return ScoreAlignment(x: x, y: y, keys: keys, joinedBy: field,
                          droppedFromFirst: count - x.count, droppedFromSecond: other.count - x.count)
  }
}
