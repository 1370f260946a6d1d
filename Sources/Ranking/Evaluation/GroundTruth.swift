import Foundation
import Common

/// Loads a ground-truth accuracy table from either the NB201 CSV (column by dataset alias or name,
/// default cifar10) or a competition-format JSON (`{"archN": {"acc", "arch"}}`), chosen by extension.
public enum GroundTruth {
  public static func load(path: String, column: String? = nil) throws -> ScoreTable {
    guard FileManager.default.fileExists(atPath: path) else {
      throw RDNASError.badFile(path: path, reason: "ground-truth file not found")
    }
    if path.lowercased().hasSuffix(".csv") {
      let header = (try? String(contentsOfFile: path, encoding: .utf8))?.prefix(4096).split(separator: "\n").first ?? ""
      if header.contains("ArchitectureString") { return try ScoreTable.loadNB201(path: path, dataset: column ?? "cifar10") }
      guard let column else {
        throw RDNASError.badInput("\(path): name the score column with --gt-column")
      }
      return try ScoreTable.loadCSV(path: path, scoreColumn: column, keyColumn: nil, archColumn: "arch")
    }
    let table = try ScoreTable.loadCompetitionJSON(path: path)
    guard let column, column != "acc" else { return table }
    return try table.scoredBy(field: column)
  }
}
