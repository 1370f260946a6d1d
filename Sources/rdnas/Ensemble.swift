import ArgumentParser
import Common
import Foundation
import Ranking

/// The free ensemble of issue 11 as a command: a supernet's scores and a proxy's (or any number of score
/// files) combined by weighted mean rank, written as a competition JSON that `rdnas rank` reads like any other.
struct Ensemble: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Combine score files by weighted mean rank (e.g. a supernet evaluation and a zero-cost proxy).",
    usage: """
      rdnas ensemble runs/x-eval.json:loss scores.csv:swapreg --out ens.json
      rdnas ensemble a.json b.json c.csv:flops --weights 2,1,1 --out ens.json
      """,
    discussion: """
      Each input is FILE or FILE:COLUMN (a JSON field such as acc or loss, loss negated; or a CSV column).
      Entries are joined by architecture; only those every file scores are written, in the first file's order.
      Ties share their mean rank; the output's acc is the combined rank (higher is better).
      """)

  @Argument(help: "Score files, FILE or FILE:COLUMN.") var inputs: [String]
  @Option(help: "Comma-separated weights, one per input (default: equal).") var weights: String?
  @Option(help: "Output competition JSON.") var out: String

  func run() throws {
    try runReportingErrors {
      guard inputs.count >= 2 else { throw RDNASError.badInput("give at least two score files to combine") }
      let tables = try inputs.map { spec -> ScoreTable in
        let (path, column) = Self.split(spec)
        return try GroundTruth.load(path: path, column: column)
      }
      var w: [Double]?
      if let weights {
        let parsed = weights.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parsed.count == inputs.count, parsed.allSatisfy({ $0 != nil }) else {
          throw RDNASError.badInput("--weights '\(weights)' must be \(inputs.count) numbers separated by commas")
        }
        w = parsed.map { $0! }
      }
      let (entries, columns) = try tables[0].joined(with: Array(tables.dropFirst()))
      let combined = try RankEnsemble.combine(columns, weights: w)
      let table = try ScoreTable(entries: zip(entries, combined).map { ScoreEntry(key: $0.key, arch: $0.arch, score: $1) },
                                 source: out)
      try table.writeCompetitionJSON(path: out)
      print("wrote \(entries.count) combined scores to \(out)")
    }
  }

  /// "path:column" → (path, column); a colon that is part of the path (no file at the prefix) is kept.
  static func split(_ spec: String) -> (String, String?) {
    guard let i = spec.lastIndex(of: ":"), !FileManager.default.fileExists(atPath: spec) else { return (spec, nil) }
    return (String(spec[..<i]), String(spec[spec.index(after: i)...]))
  }
}
