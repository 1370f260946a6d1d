import Common
import Foundation

/// Score tables from CSV: the NAS-Bench-201 ground truth and any file with a named score column.
extension ScoreTable {
  /// NB201 ground-truth columns by dataset alias (case-insensitive).
  public static let nb201Columns: [String: String] = [
    "cifar10": "CIFAR10TestAccuracy200Epochs",
    "cifar100": "CIFAR100TestAccuracy200Epochs",
    "imagenet": "ImageNetTestAccuracy200Epochs",
    "imagenet16-120": "ImageNetTestAccuracy200Epochs",
  ]

  /// The NB201 table (`nb201_test_acc_200ep.csv`): key = benchmark index (the 0-based row), arch =
  /// `ArchitectureString`, score = the column named by `dataset`, either an alias (cifar10, cifar100,
  /// imagenet) or a column name.
  public static func loadNB201(path: String, dataset: String) throws -> ScoreTable {
    let column = nb201Columns[dataset.lowercased()] ?? dataset
    return try loadCSV(path: path, scoreColumn: column, keyColumn: nil, archColumn: "ArchitectureString")
  }

  /// A table from any CSV with a header. Without `keyColumn` the key is the 0-based data-row index; without
  /// `archColumn` the arch is the key (so such tables join with others by key).
  public static func loadCSV(
    path: String, scoreColumn: String, keyColumn: String? = nil, archColumn: String? = nil
  ) throws -> ScoreTable {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
      throw RDNASError.badFile(path: path, reason: "cannot read: \(error.localizedDescription)")
    }
    return try parseCSV(String(decoding: data, as: UTF8.self), source: path,
                        scoreColumn: scoreColumn, keyColumn: keyColumn, archColumn: archColumn)
  }

  public static func parseCSV(
    _ text: String, source: String, scoreColumn: String, keyColumn: String? = nil, archColumn: String? = nil
  ) throws -> ScoreTable {
    let csv = try CSVRows(text: text, source: source)
    let scoreIndex = try csv.column(scoreColumn, source: source)
    let keyIndex = try keyColumn.map { try csv.column($0, source: source) }
    let archIndex = try archColumn.map { try csv.column($0, source: source) }
    var entries = [ScoreEntry]()
    entries.reserveCapacity(csv.rows.count)
    for (rowNumber, row) in csv.rows.enumerated() {
      let raw = row.fields[scoreIndex].trimmingSpaces
      guard let score = Double(raw), score.isFinite else {
        throw RDNASError.badFile(path: source, reason: "line \(row.line): \(scoreColumn) '\(abbreviated(raw))' is not a finite number")
      }
      let key = keyIndex.map { row.fields[$0].trimmingSpaces } ?? String(rowNumber)
      let arch = archIndex.map { row.fields[$0].trimmingSpaces } ?? key
      if key.isEmpty || arch.isEmpty {
        throw RDNASError.badFile(path: source, reason: "line \(row.line): empty \(key.isEmpty ? keyColumn ?? "key" : archColumn ?? "arch")")
      }
      entries.append(ScoreEntry(key: key, arch: arch, score: score))
    }
    let lines = csv.rows.map(\.line)
    return try ScoreTable(entries: entries, source: source) { "line \(lines[$0])" }
  }
}
