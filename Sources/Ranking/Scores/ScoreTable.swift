import Common

/// One scored architecture: a name for it, its encoding, and a number (accuracy, proxy score, …).
public struct ScoreEntry: Sendable, Equatable {
  /// The entry's name in its file: "arch17" in the competition JSON, the row index in the NB201 CSV.
  public var key: String
  /// The architecture's encoding, the field two tables are joined on.
  public var arch: String
  public var score: Double
  /// Other fields of a JSON entry (e.g. "loss"), name → JSON text, written back unchanged.
  public var extras: [String: String]

  public init(key: String, arch: String, score: Double, extras: [String: String] = [:]) {
    self.key = key; self.arch = arch; self.score = score; self.extras = extras
  }
}

/// Scores in file order. Order matters: the reference compares lists "in dict order", and a written file
/// must list its entries as they were read.
public struct ScoreTable: Sendable, Equatable {
  public var entries: [ScoreEntry]
  /// Where the table came from (a path), so errors about it can say so.
  public var source: String

  /// Throws `badFile` naming both entries when two share a key or an architecture: joins would be ambiguous.
  public init(entries: [ScoreEntry], source: String) throws {
    try self.init(entries: entries, source: source) { "'\(Self.abbreviated(entries[$0].key))' (#\($0 + 1))" }
  }

  /// `locate` names the entry at a 0-based position in errors (loaders say "line 12" instead).
  init(entries: [ScoreEntry], source: String, locate: (Int) -> String) throws {
    self.entries = entries
    self.source = source
    try checkUnique(\.key, "key", locate)
    try checkUnique(\.arch, "architecture", locate)
  }

  public var count: Int { entries.count }
  public var keys: [String] { entries.map(\.key) }
  public var archs: [String] { entries.map(\.arch) }
  public var scores: [Double] { entries.map(\.score) }

  private func checkUnique(_ field: KeyPath<ScoreEntry, String>, _ name: String, _ locate: (Int) -> String) throws {
    var firstSeen = [String: Int](minimumCapacity: entries.count)
    for (position, entry) in entries.enumerated() {
      let value = entry[keyPath: field]
      if let earlier = firstSeen[value] {
        throw RDNASError.badFile(path: source, reason: "duplicate \(name) '\(Self.abbreviated(value))' at "
          + "\(locate(earlier)) and \(locate(position))")
      }
      firstSeen[value] = position
    }
  }

  /// Long encodings shortened so an error stays one readable line.
  static func abbreviated(_ text: String) -> String {
    text.count <= 80 ? text : String(text.prefix(77)) + "..."
  }
}

extension ScoreTable {
  /// The same entries scored by another numeric field of the JSON (e.g. `loss`, which `rdnas eval` writes
  /// next to `acc`). Loss fields (names ending in "loss") are negated so that higher is better everywhere:
  /// a supernet's validation loss separates subnets where 1,000-image accuracies tie.
  public func scoredBy(field: String) throws -> ScoreTable {
    let negate = field.lowercased().hasSuffix("loss")
    let rescored = try entries.map { e -> ScoreEntry in
      guard let text = e.extras[field], let value = Double(text) else {
        throw RDNASError.badFile(path: source, reason: "entry '\(Self.abbreviated(e.key))' has no numeric \"\(field)\"")
      }
      var copy = e
      copy.score = negate ? -value : value
      return copy
    }
    return try ScoreTable(entries: rescored, source: source)
  }
}
