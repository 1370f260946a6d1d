import Foundation

/// A self-contained SVG of the rank scatter: frame, ticks, labels, a colour key, and one circle per point.
extension RankScatter {
  /// `title` is followed by τ, ρ and n. Best ranks sit at the bottom-left; points are drawn in order of
  /// increasing disagreement so the red outliers are not buried under the agreeing mass.
  public func svg(
    title: String, width: Int = 640, height: Int = 640,
    xLabel: String = "rank by x (1 = best)", yLabel: String = "rank by y (1 = best)"
  ) -> String {
    let size = (width: Double(max(width, 200)), height: Double(max(height, 200)))
    let left = 70.0, right = 24.0, top = 48.0, bottom = 62.0
    let plotWidth = size.width - left - right, plotHeight = size.height - top - bottom
    let span = Double(max(1, n - 1))
    func px(_ rank: Double) -> Double { left + (rank - 1) / span * plotWidth }
    func py(_ rank: Double) -> Double { top + plotHeight - (rank - 1) / span * plotHeight }

    var svg = [String]()
    svg.append(#"<?xml version="1.0" encoding="UTF-8"?>"#)
    svg.append(#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(f(size.width))" height="\#(f(size.height))" "#
      + #"viewBox="0 0 \#(f(size.width)) \#(f(size.height))" font-family="sans-serif" font-size="12">"#)
    svg.append(#"<rect width="100%" height="100%" fill="white"/>"#)
    let heading = "\(title) — τ = \(stat(tau)), ρ = \(stat(rho)), n = \(n)"
    svg.append(#"<text x="\#(f(size.width / 2))" y="26" text-anchor="middle" font-size="15">\#(xmlEscaped(heading))</text>"#)

    // Frame, ticks and labels.
    svg.append(#"<rect x="\#(f(left))" y="\#(f(top))" width="\#(f(plotWidth))" height="\#(f(plotHeight))" fill="none" stroke="dimgray"/>"#)
    svg.append(#"<line x1="\#(f(left))" y1="\#(f(top + plotHeight))" x2="\#(f(left + plotWidth))" y2="\#(f(top))" stroke="silver" stroke-dasharray="4 4"/>"#)
    for tick in Self.ticks(n: n) {
      let x = px(Double(tick)), y = py(Double(tick))
      svg.append(#"<line x1="\#(f(x))" y1="\#(f(top + plotHeight))" x2="\#(f(x))" y2="\#(f(top + plotHeight + 5))" stroke="dimgray"/>"#)
      svg.append(#"<text x="\#(f(x))" y="\#(f(top + plotHeight + 18))" text-anchor="middle">\#(tick)</text>"#)
      svg.append(#"<line x1="\#(f(left - 5))" y1="\#(f(y))" x2="\#(f(left))" y2="\#(f(y))" stroke="dimgray"/>"#)
      svg.append(#"<text x="\#(f(left - 8))" y="\#(f(y + 4))" text-anchor="end">\#(tick)</text>"#)
    }
    svg.append(#"<text x="\#(f(left + plotWidth / 2))" y="\#(f(top + plotHeight + 36))" text-anchor="middle">\#(xmlEscaped(xLabel))</text>"#)
    svg.append(#"<text transform="translate(16 \#(f(top + plotHeight / 2))) rotate(-90)" text-anchor="middle">\#(xmlEscaped(yLabel))</text>"#)

    // Colour key: |Δrank| from 0 to the largest gap.
    let keyX = left + plotWidth - 150, keyY = size.height - 8
    svg.append("<defs><linearGradient id=\"ramp\">" + [0.0, 0.5, 1.0].map {
      #"<stop offset="\#(f($0))" stop-color="\#(DisagreementColor.rgb($0).hex)"/>"#
    }.joined() + "</linearGradient></defs>")
    svg.append(#"<text x="\#(f(keyX - 6))" y="\#(f(keyY))" text-anchor="end" font-size="11">|Δrank| 0</text>"#)
    svg.append(#"<rect x="\#(f(keyX))" y="\#(f(keyY - 9))" width="100" height="10" fill="url(#ramp)"/>"#)
    svg.append(#"<text x="\#(f(keyX + 106))" y="\#(f(keyY))" font-size="11">\#(f(maxRankGap))</text>"#)

    // Points.
    let radius = points.count <= 500 ? 3.0 : points.count <= 5000 ? 2.0 : 1.2
    for point in points.sorted(by: { $0.disagreement < $1.disagreement }) {
      svg.append(#"<circle cx="\#(f(px(point.rankX)))" cy="\#(f(py(point.rankY)))" r="\#(f(radius))" "#
        + #"fill="\#(DisagreementColor.rgb(point.disagreement).hex)" fill-opacity="0.8"/>"#)
    }
    svg.append("</svg>")
    return svg.joined(separator: "\n") + "\n"
  }

  /// Tick values: 1, then multiples of a 1/2/5 × 10^k step giving about five ticks, and never past n.
  static func ticks(n: Int) -> [Int] {
    guard n > 1 else { return [1] }
    let raw = Double(n) / 5
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let step = max(1, Int([1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude))
    var ticks = [1]
    var value = step
    while value <= n {
      if Double(value - 1) >= Double(step) / 2 { ticks.append(value) }
      value += step
    }
    return ticks
  }

  private func f(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
  }

  private func stat(_ value: Double) -> String { value.isNaN ? "nan" : String(format: "%.3f", value) }

  private func xmlEscaped(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default: out.append(character)
      }
    }
    return out
  }
}
