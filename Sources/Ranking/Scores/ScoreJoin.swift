import Common

extension ScoreTable {
  /// Several tables joined by architecture string: the entries (in this table's order) that every table
  /// scores, with one score column per table. Throws when fewer than 2 entries are common to all.
  public func joined(with others: [ScoreTable]) throws -> (entries: [ScoreEntry], columns: [[Double]]) {
    let lookups = others.map { t in Dictionary(t.entries.map { ($0.arch, $0.score) }, uniquingKeysWith: { a, _ in a }) }
    var kept: [ScoreEntry] = [], columns = [[Double]](repeating: [], count: others.count + 1)
    for e in entries {
      let partners = lookups.map { $0[e.arch] }
      guard partners.allSatisfy({ $0 != nil }) else { continue }
      kept.append(e)
      columns[0].append(e.score)
      for (i, p) in partners.enumerated() { columns[i + 1].append(p!) }
    }
    guard kept.count >= 2 else {
      throw RDNASError.badInput("\(([source] + others.map(\.source)).joined(separator: ", ")) share fewer than 2 architectures")
    }
    return (kept, columns)
  }
}
