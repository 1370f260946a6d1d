import ArgumentParser
import Common
import Foundation
import Ranking

struct Rank: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compare two score files: Kendall τ-b, Spearman ρ, Pearson r, precision@top-k% with bootstrap 95% CIs.",
    usage: """
      rdnas rank rd-eval.json ground-truth.json --svg rank.svg
      rdnas rank proxies.csv NAS-Bench-201.csv --column-a synflow --column-b cifar10
      """,
    discussion: "Files: the JSON of `rdnas eval`/`standalone` or a CSV (the NB201 ground truth, or any CSV with --column-a/-b). "
      + "Entries are joined by architecture. Draws the rank-vs-rank scatter with braille dots (--svg writes it as SVG).")

  @Argument(help: "First score file (e.g. a supernet evaluation).") var a: String
  @Argument(help: "Second score file (e.g. ground truth).") var b: String
  @Option(help: "Score column of the first file: a CSV column (NB201: cifar10 | cifar100 | imagenet) or a JSON field (acc, or loss: negated, lower is better).") var columnA: String?
  @Option(help: "Score column of the second file (as --column-a).") var columnB: String?
  @Option(help: "A second prediction to hold the first against: prints τ(a) − τ(versus) vs b with a paired bootstrap CI.") var versus: String?
  @Option(help: "Score column of --versus (as --column-a).") var columnVersus: String?
  @Option(help: "Bootstrap resamples.") var resamples = 1000
  @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 0
  @Option(help: "Write the scatter as an SVG file.") var svg: String?
  @Option(help: "Write the report as JSON.") var json: String?
  @Flag(help: "Do not draw the terminal scatter.") var noPlot = false
  @Flag(help: "ASCII scatter instead of braille.") var ascii = false

  func run() throws {
    try runReportingErrors {
      let ta = try GroundTruth.load(path: a, column: columnA)
      let tb = try GroundTruth.load(path: b, column: columnB)
      let al = try ta.aligned(with: tb)
      guard al.x.count >= 2 else { throw RDNASError.badInput("\(a) and \(b) share fewer than 2 architectures") }
      let report = try RankReport.compute(predicted: al.x, truth: al.y, resamples: resamples, seed: seed)
      print("\(a) vs \(b): \(al.x.count) architectures joined by \(al.joinedBy)"
            + (al.droppedFromFirst + al.droppedFromSecond > 0
               ? " (\(al.droppedFromFirst) only in the first, \(al.droppedFromSecond) only in the second)" : ""))
      print(report.description)
      if let versus {
        let tv = try GroundTruth.load(path: versus, column: columnVersus)
        let (_, cols) = try ta.joined(with: [tv, tb])
        let d = try PairedTauDifference.compute(a: cols[0], b: cols[1], truth: cols[2], resamples: resamples, seed: seed)
        print(String(format: "paired over %d common cells: τ(a) %.3f − τ(versus) %.3f = %+.3f [%+.3f, %+.3f]%@",
                     d.n, d.tauA, d.tauB, d.difference, d.low, d.high, d.aIsBetter ? "  (a is better)" : ""))
      }
      let scatter = try RankScatter(x: al.x, y: al.y)
      if !noPlot { printScatter(scatter) }
      if let svg {
        let doc = scatter.svg(title: "\(URL(fileURLWithPath: a).lastPathComponent) vs \(URL(fileURLWithPath: b).lastPathComponent)",
                              xLabel: "rank by \(URL(fileURLWithPath: a).lastPathComponent)",
                              yLabel: "rank by \(URL(fileURLWithPath: b).lastPathComponent)")
        try Data(doc.utf8).write(to: URL(fileURLWithPath: svg), options: .atomic)
        print("wrote \(svg)")
      }
      if let json {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try enc.encode(report).write(to: URL(fileURLWithPath: json), options: .atomic)
      }
    }
  }

  /// Braille dots coloured by rank disagreement (ANSI 256 colours on a terminal unless NO_COLOR is set).
  func printScatter(_ s: RankScatter) {
    let width = 60, height = 20
    let colour = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && !ascii
    print("rank by \(URL(fileURLWithPath: b).lastPathComponent) ↑ (1 = best at the bottom)")
    if ascii {
      for line in s.asciiLines(width: width, height: height) { print("│" + line) }
    } else {
      for row in s.brailleCells(width: width, height: height) {
        var line = "│"
        for cell in row {
          if colour, !cell.isEmpty {
            let c = DisagreementColor.rgb(cell.value)
            let idx = 16 + 36 * (Int(c.red) * 6 / 256) + 6 * (Int(c.green) * 6 / 256) + Int(c.blue) * 6 / 256
            line += "\u{1B}[38;5;\(idx)m\(cell.character)\u{1B}[0m"
          } else {
            line += String(cell.character)
          }
        }
        print(line)
      }
    }
    print("└" + String(repeating: "─", count: width) + "→ rank by \(URL(fileURLWithPath: a).lastPathComponent)")
  }
}
