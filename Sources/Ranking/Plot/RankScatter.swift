import Common

/// The reference's rank-vs-rank picture (`utils/visualize_rank.py`): every candidate placed at its rank under
/// one scorer against its rank under another, coloured by how far the two ranks disagree. Points off the
/// diagonal are where a predictor misleads the search. This type only computes positions; the renderers
/// are `brailleCanvas`/`asciiLines` (for a terminal front-end) and `svg`.
public struct RankScatter: Sendable {
  public struct Point: Sendable, Equatable {
    /// Rank under x, 1 = highest score (ties share the mean rank).
    public var rankX: Double
    /// Rank under y, 1 = highest score.
    public var rankY: Double
    /// |rankX − rankY| divided by the largest such gap in the data: 0 agrees, 1 is the worst disagreement.
    public var disagreement: Double
  }

  public let points: [Point]
  /// Number of ranked candidates (ranks run 1…n even after subsampling).
  public let n: Int
  /// Largest |Δrank|, the value disagreement 1 stands for.
  public let maxRankGap: Double
  /// Kendall's τ-b and Spearman's ρ of all n pairs (the reference titles its plot with the rank correlation).
  public let tau: Double
  public let rho: Double

  /// Throws `badInput` on unequal lengths or a NaN score (a NaN has no place on either axis).
  public init(x: [Double], y: [Double]) throws {
    guard x.count == y.count else {
      throw RDNASError.badInput("rank scatter: the two score lists differ in length (\(x.count) vs \(y.count))")
    }
    if let bad = x.firstIndex(where: \.isNaN) ?? y.firstIndex(where: \.isNaN) {
      throw RDNASError.badInput("rank scatter: score #\(bad + 1) is NaN")
    }
    let rankX = Ranks.descending(x), rankY = Ranks.descending(y)
    var gap = 0.0
    for i in rankX.indices { gap = max(gap, abs(rankX[i] - rankY[i])) }
    points = rankX.indices.map { i in
      Point(rankX: rankX[i], rankY: rankY[i], disagreement: gap > 0 ? abs(rankX[i] - rankY[i]) / gap : 0)
    }
    n = x.count
    maxRankGap = gap
    tau = KendallTau.unchecked(x, y)
    rho = Spearman.unchecked(x, y)
  }

  private init(points: [Point], from full: RankScatter) {
    self.points = points
    n = full.n; maxRankGap = full.maxRankGap; tau = full.tau; rho = full.rho
  }

  /// A random `fraction` of the points (the reference draws 30 %) so a dense plot stays legible; ranks,
  /// colours and τ/ρ still describe all n candidates. Deterministic for a seed.
  public func subsampled(fraction: Double, seed: UInt64) -> RankScatter {
    var random = RandomSource(seed: seed)
    let threshold = min(1, max(0, fraction))
    return RankScatter(points: points.filter { _ in Double(random.next() >> 11) * 0x1p-53 < threshold }, from: self)
  }

  /// Position of a rank on an axis of `cells` slots: rank 1 → 0, rank n → cells − 1.
  func slot(_ rank: Double, _ cells: Int) -> Int {
    guard n > 1, cells > 1 else { return 0 }
    let position = ((rank - 1) / Double(n - 1) * Double(cells - 1)).rounded()
    return min(cells - 1, max(0, Int(position)))
  }

  /// The points drawn on a `width` × `height`-cell braille canvas, best ranks at the bottom-left so agreement
  /// is the rising diagonal, as in the SVG. Each cell keeps the largest disagreement among its points.
  public func brailleCanvas(width: Int, height: Int) -> BrailleCanvas {
    var canvas = BrailleCanvas(width: width, height: height)
    let dotsWide = canvas.dotsWide, dotsHigh = canvas.dotsHigh
    for point in points {
      canvas.plot(dotX: slot(point.rankX, dotsWide), dotY: dotsHigh - 1 - slot(point.rankY, dotsHigh),
                  value: point.disagreement)
    }
    return canvas
  }

  /// Cells of the braille rendering, rows top to bottom: what a terminal front-end colours and draws.
  public func brailleCells(width: Int, height: Int) -> [[BrailleCell]] {
    brailleCanvas(width: width, height: height).cells
  }

  /// The braille rendering as plain text lines.
  public func brailleLines(width: Int, height: Int) -> [String] {
    brailleCanvas(width: width, height: height).brailleLines()
  }

  /// The ASCII fallback for terminals without braille glyphs (`.` `:` `*` `#` by point density).
  public func asciiLines(width: Int, height: Int) -> [String] {
    brailleCanvas(width: width, height: height).asciiLines()
  }
}
