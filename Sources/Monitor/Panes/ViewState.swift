/// A transient line in the status bar ("checkpoint saved: …").
public struct Flash: Sendable, Equatable {
  public enum Level: Sendable { case info, good, warn, bad }
  public var text: String
  public var level: Level
  public var until: Double
}

/// What the user changed about the display (as opposed to `MonitorModel`, which is what the trainer said).
public struct ViewState: Sendable {
  public enum Overlay: Sendable, Equatable { case none, help, quitPrompt }

  /// EMA weights the `[` and `]` keys step through.
  public static let smoothingLevels = [0.0, 0.6, 0.8, 0.9, 0.95, 0.98, 0.99]

  public var focus: PaneID = .loss
  public var maximised: PaneID? = nil
  public var overlay: Overlay = .none
  public var logY = false
  public var smoothingLevel = 0
  public var envelope = true
  public var xByEpoch = false
  public var landmarkOrder: LandmarkOrdering = .prior
  /// The ranking view (key r) replaces the panes while open.
  public var ranking = false
  /// The landmark (LandmarkSet index) selected in the ranking table; nil = the best-ranked.
  public var rankingSelection: Int? = nil
  /// Scatter against the prior rank even when a ground truth is known.
  public var rankingVsPrior = false
  /// Rows skipped from the newest entry, per list pane (0 = follow the newest).
  public var scroll: [PaneID: Int] = [:]
  public var flash: Flash? = nil
  /// A pause/resume the trainer has not confirmed yet.
  public var pendingPause: Bool? = nil
  /// A proxy switch the trainer has not confirmed yet.
  public var pendingProxy: String? = nil
  /// When the oldest unconfirmed request was sent.
  public var pendingSince: Double? = nil
  /// When the user confirmed quitting (we then wait for the trainer to finish, up to a grace period).
  public var quittingSince: Double? = nil
  /// Set by Ctrl-L; the backend clears the terminal before the next frame.
  public var forceRedraw = false

  public init() {}

  public var smoothing: Double { ViewState.smoothingLevels[min(max(smoothingLevel, 0), ViewState.smoothingLevels.count - 1)] }

  public func scrollOffset(_ p: PaneID) -> Int { scroll[p] ?? 0 }
}
