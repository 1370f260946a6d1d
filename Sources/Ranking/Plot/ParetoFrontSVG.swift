import Foundation

/// A self-contained SVG of a search: every evaluated architecture as a grey dot at (FLOPs, score), the last
/// generation in blue, and the Pareto front (cheapest for its score) as a red staircase with red dots.
public struct ParetoFrontSVG {
  public let state: SearchState

  public init(state: SearchState) { self.state = state }

  public func svg(width: Int = 720, height: Int = 480) -> String {
    let all = state.evaluated
    let front = ParetoFront.of(all)
    let size = (width: Double(max(width, 240)), height: Double(max(height, 200)))
    let left = 80.0, right = 24.0, top = 48.0, bottom = 62.0
    let plotWidth = size.width - left - right, plotHeight = size.height - top - bottom
    let xs = all.map { $0.flops / 1e6 }, ys = all.map(\.score)
    let (x0, x1) = Self.padded(xs.min() ?? 0, xs.max() ?? 1)
    let (y0, y1) = Self.padded(ys.min() ?? 0, ys.max() ?? 1)
    func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotWidth }
    func py(_ y: Double) -> Double { top + plotHeight - (y - y0) / (y1 - y0) * plotHeight }

    var svg = [String]()
    svg.append(#"<?xml version="1.0" encoding="UTF-8"?>"#)
    svg.append(#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(f(size.width))" height="\#(f(size.height))" "#
      + #"viewBox="0 0 \#(f(size.width)) \#(f(size.height))" font-family="sans-serif" font-size="12">"#)
    svg.append(#"<rect width="100%" height="100%" fill="white"/>"#)
    let heading = "\(state.settings.method.rawValue) search on \(state.space): \(all.count) evaluated, "
      + "\(state.generation) generations, \(front.count) on the Pareto front"
    svg.append(#"<text x="\#(f(size.width / 2))" y="26" text-anchor="middle" font-size="15">\#(heading)</text>"#)
    svg.append(#"<rect x="\#(f(left))" y="\#(f(top))" width="\#(f(plotWidth))" height="\#(f(plotHeight))" fill="none" stroke="dimgray"/>"#)
    for k in 0...4 {
      let x = x0 + (x1 - x0) * Double(k) / 4, y = y0 + (y1 - y0) * Double(k) / 4
      svg.append(#"<text x="\#(f(px(x)))" y="\#(f(top + plotHeight + 18))" text-anchor="middle">\#(Self.label(x))</text>"#)
      svg.append(#"<text x="\#(f(left - 8))" y="\#(f(py(y) + 4))" text-anchor="end">\#(Self.label(y))</text>"#)
    }
    svg.append(#"<text x="\#(f(left + plotWidth / 2))" y="\#(f(size.height - 16))" text-anchor="middle">MFLOPs</text>"#)
    svg.append(#"<text x="18" y="\#(f(top + plotHeight / 2))" text-anchor="middle" transform="rotate(-90 18 \#(f(top + plotHeight / 2)))">score (\#(state.settings.scoreBy))</text>"#)
    let last = state.generation - 1
    for a in all {
      let colour = a.generation == last ? "steelblue" : "silver"
      svg.append(#"<circle cx="\#(f(px(a.flops / 1e6)))" cy="\#(f(py(a.score)))" r="3" fill="\#(colour)"/>"#)
    }
    if !front.isEmpty {
      // Staircase: the best score reachable at each cost holds until the next front point.
      var points = [String]()
      for (i, a) in front.enumerated() {
        if i > 0 { points.append("\(f(px(a.flops / 1e6))),\(f(py(front[i - 1].score)))") }
        points.append("\(f(px(a.flops / 1e6))),\(f(py(a.score)))")
      }
      svg.append(#"<polyline points="\#(points.joined(separator: " "))" fill="none" stroke="firebrick" stroke-width="1.5"/>"#)
      for a in front {
        svg.append(#"<circle cx="\#(f(px(a.flops / 1e6)))" cy="\#(f(py(a.score)))" r="4" fill="firebrick"/>"#)
      }
    }
    svg.append("</svg>")
    return svg.joined(separator: "\n") + "\n"
  }

  /// The data range with 5 % either side (a single value gets a unit-wide range).
  static func padded(_ lo: Double, _ hi: Double) -> (Double, Double) {
    guard hi > lo else { return (lo - 0.5, hi + 0.5) }
    let pad = (hi - lo) * 0.05
    return (lo - pad, hi + pad)
  }

  static func label(_ value: Double) -> String { String(format: abs(value) >= 100 ? "%.0f" : "%.3g", value) }

  private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
