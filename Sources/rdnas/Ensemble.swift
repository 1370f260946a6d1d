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
      rdnas ensemble runs/x-eval.json:loss swap.csv:score --out ens.json \\
        --fit-on runs/x-calib-eval.json:loss swap.csv:score --gt nb201.csv
      """,
    discussion: """
      Each input is FILE or FILE:COLUMN (a JSON field such as acc or loss, loss negated; or a CSV column).
      Entries are joined by architecture; only those every file scores are written, in the first file's order.
      Ties share their mean rank; the output's acc is the combined rank (higher is better).
      --fit-on chooses the weights instead: the same inputs scored on calibration cells (architectures with ground
      truth that are not the ones being ranked), one per input; the weight vector on a grid of --fit-step with the
      highest Kendall τ against --gt on those cells is printed and applied.
      """)

  @Argument(help: "Score files, FILE or FILE:COLUMN.") var inputs: [String]
  @Option(help: "Comma-separated weights, one per input (default: equal).") var weights: String?
  @Option(help: "Output competition JSON.") var out: String
  @Option(parsing: .upToNextOption, help: "Fit the weights on calibration cells: one score file per input (FILE or FILE:COLUMN).")
  var fitOn: [String] = []
  @Option(help: "Ground truth of the calibration cells, FILE or FILE:COLUMN (with --fit-on).") var gt: String?
  @Option(help: "Grid spacing of the fitted weights (with --fit-on).") var fitStep = 0.05

  func run() throws {
    try runReportingErrors {
      guard inputs.count >= 2 else { throw RDNASError.badInput("give at least two score files to combine") }
      let tables = try Self.load(inputs)
      let (entries, columns) = try tables[0].joined(with: Array(tables.dropFirst()))
      var w: [Double]?
      if !fitOn.isEmpty || gt != nil {
        guard weights == nil else { throw RDNASError.badInput("--weights and --fit-on exclude each other") }
        w = try fittedWeights(ranked: Set(entries.map(\.arch)))
      } else if let weights {
        let parsed = weights.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parsed.count == inputs.count, parsed.allSatisfy({ $0 != nil }) else {
          throw RDNASError.badInput("--weights '\(weights)' must be \(inputs.count) numbers separated by commas")
        }
        w = parsed.map { $0! }
      }
      let combined = try RankEnsemble.combine(columns, weights: w)
      let table = try ScoreTable(entries: zip(entries, combined).map { ScoreEntry(key: $0.key, arch: $0.arch, score: $1) },
                                 source: out)
      try table.writeCompetitionJSON(path: out)
      print("wrote \(entries.count) combined scores to \(out)")
    }
  }

  /// Weights from the calibration cells: the first --fit-on file's cells that every file scores and --gt knows.
  func fittedWeights(ranked: Set<String>) throws -> [Double] {
    guard fitOn.count == inputs.count else {
      throw RDNASError.badInput("--fit-on needs one calibration score file per input (\(inputs.count)), got \(fitOn.count)")
    }
    guard let gt else { throw RDNASError.badInput("--fit-on needs --gt, the calibration cells' ground truth") }
    let tables = try Self.load(fitOn + [gt])
    let (cells, columns) = try tables[0].joined(with: Array(tables.dropFirst()))
    let seen = cells.filter { ranked.contains($0.arch) }.count
    if seen > 0 {
      FileHandle.standardError.write(Data("rdnas: warning: \(seen) of the \(cells.count) calibration cells are also being ranked; the fit has seen their ground truth\n".utf8))
    }
    let fit = try EnsembleWeightFit.fit(columns: Array(columns.dropLast()), truth: columns.last!, step: fitStep)
    let shown = fit.weights.map { String(format: "%.2f", $0) }.joined(separator: ",")
    print("fitted weights \(shown) on \(cells.count) calibration cells: τ \(String(format: "%.3f", fit.tau)) "
          + "(\(fit.candidates) weight vectors tried)")
    return fit.weights
  }

  /// Score tables of FILE or FILE:COLUMN specs.
  static func load(_ specs: [String]) throws -> [ScoreTable] {
    try specs.map { spec in
      let (path, column) = split(spec)
      return try GroundTruth.load(path: path, column: column)
    }
  }

  /// "path:column" → (path, column); a colon that is part of the path (no file at the prefix) is kept.
  static func split(_ spec: String) -> (String, String?) {
    guard let i = spec.lastIndex(of: ":"), !FileManager.default.fileExists(atPath: spec) else { return (spec, nil) }
    return (String(spec[..<i]), String(spec[spec.index(after: i)...]))
  }
}
