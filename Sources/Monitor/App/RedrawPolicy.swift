/// When the monitor draws a frame, so that a slow SSH link carries little and keys still feel instant.
///
/// - A key (or resize, Ctrl-L) draws at once, everything fresh.
/// - New trainer data draws at most `framesPerSecond` times a second (charts need not repaint faster than a
///   person reads them; the trainer may log dozens of steps a second).
/// - The list panes (sampled subnets, rank pairs, landmark rows) scroll by a whole pane whenever a step
///   arrives, the costliest change there is; while data streams in they are refreshed at most every
///   `listSeconds` (their previous cells are kept in between), and always on a key.
/// - A heartbeat every `heartbeatSeconds` picks up what changes with time alone (a status message expiring);
///   an unchanged frame costs nothing since the backend only sends changed cells.
///
/// Pure bookkeeping over timestamps, so it is unit-tested without a terminal.
public struct RedrawPolicy: Sendable, Equatable {
  public var framesPerSecond: Double
  public var listSeconds: Double
  public var heartbeatSeconds: Double

  private var lastFrame = -Double.infinity
  private var lastListFrame = -Double.infinity
  private var dataPending = false
  private var inputPending = false
  /// Data arrived that the list panes have not shown yet.
  private var listsStale = false

  /// What to draw: `holdLists` keeps the list panes' cells from the previous frame.
  public struct Frame: Sendable, Equatable {
    public var holdLists: Bool
  }

  public init(framesPerSecond: Double = 2, listSeconds: Double = 3, heartbeatSeconds: Double = 1) {
    self.framesPerSecond = max(0.1, framesPerSecond)
    self.listSeconds = max(0, listSeconds)
    self.heartbeatSeconds = max(0.05, heartbeatSeconds)
  }

  var frameInterval: Double { 1 / framesPerSecond }

  /// New events were applied to the model.
  public mutating func noteData() { dataPending = true; listsStale = true }

  /// A key, a resize or a redraw request: the next frame is due now.
  public mutating func noteInput() { inputPending = true }

  /// The frame to draw now, if one is due (and records it as drawn).
  public mutating func frame(now: Double) -> Frame? {
    let due = inputPending
      || (dataPending && now - lastFrame >= frameInterval)
      || (listsStale && now - lastListFrame >= listSeconds && now - lastFrame >= frameInterval)
      || now - lastFrame >= heartbeatSeconds
    guard due else { return nil }
    let refreshLists = inputPending || lastListFrame == -.infinity || (listsStale && now - lastListFrame >= listSeconds)
    inputPending = false
    dataPending = false
    lastFrame = now
    if refreshLists { lastListFrame = now; listsStale = false }
    return Frame(holdLists: !refreshLists)
  }

  /// Seconds until the next frame is due without further input (0 = now).
  public func secondsUntilDue(now: Double) -> Double {
    if inputPending { return 0 }
    var t = lastFrame + heartbeatSeconds
    if dataPending { t = min(t, lastFrame + frameInterval) }
    if listsStale { t = min(t, max(lastListFrame + listSeconds, lastFrame + frameInterval)) }
    return max(0, t - now)
  }
}
