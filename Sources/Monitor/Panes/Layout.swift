/// The five panes, numbered as their focus keys.
public enum PaneID: Int, CaseIterable, Sendable {
  case loss = 1, subnets, pairs, landmarks, tau

  public var title: String {
    switch self {
    case .loss: return "Loss curves"
    case .subnets: return "Sampled subnets"
    case .pairs: return "Rank-loss pairs"
    case .landmarks: return "Landmarks"
    case .tau: return "Rank correlation"
    }
  }

  public var next: PaneID { PaneID(rawValue: rawValue % 5 + 1)! }
  public var previous: PaneID { PaneID(rawValue: (rawValue + 3) % 5 + 1)! }
}

/// Where everything goes for a terminal size. Pure geometry, so it is tested at 80×24, 100×30 and below
/// the minimum without a terminal.
public struct Layout: Equatable, Sendable {
  public static let minWidth = 60, minHeight = 16
  /// From this width on, the panes form two rows (loss | τ over subnets | pairs | landmarks).
  public static let wideWidth = 120

  public var width: Int, height: Int
  public var panes: [PaneID: Rect]
  public var status: Rect
  public var body: Rect
  public var tooSmall: Bool

  public static func tooSmallMessage(width: Int, height: Int, ascii: Bool = false) -> String {
    ascii ? "terminal too small (\(width)x\(height), need >= \(minWidth)x\(minHeight))"
      : "terminal too small (\(width)×\(height), need ≥ \(minWidth)×\(minHeight))"
  }

  public static func compute(width: Int, height: Int, maximised: PaneID? = nil) -> Layout {
    let full = Rect(x: 0, y: 0, width: width, height: height)
    guard width >= minWidth, height >= minHeight else {
      return Layout(width: width, height: height, panes: [:], status: .zero, body: full, tooSmall: true)
    }
    let (body, status) = full.splitBottom(1)
    var panes = [PaneID: Rect]()
    if let m = maximised {
      panes[m] = body
    } else if width >= wideWidth {
      let (top, bottom) = body.splitTop(Int((Double(body.height) * 0.55).rounded()))
      let t = top.columns([0.62, 0.38]), b = bottom.columns([0.42, 0.30, 0.28])
      panes[.loss] = t[0]; panes[.tau] = t[1]
      panes[.subnets] = b[0]; panes[.pairs] = b[1]; panes[.landmarks] = b[2]
    } else {
      // Narrow: a wide left column for the curves and encodings, three stacked panes on the right.
      let cols = body.columns([0.6, 0.4])
      let left = cols[0].rows([0.52, 0.48]), right = cols[1].rows([0.36, 0.30, 0.34])
      panes[.loss] = left[0]; panes[.subnets] = left[1]
      panes[.tau] = right[0]; panes[.pairs] = right[1]; panes[.landmarks] = right[2]
    }
    return Layout(width: width, height: height, panes: panes, status: status, body: body, tooSmall: false)
  }
}
