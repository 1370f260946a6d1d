/// A key press, independent of curses key codes (the backend translates).
public enum Key: Hashable, Sendable {
  case char(Character)
  case tab, backTab, enter, escape, backspace
  case up, down, left, right, pageUp, pageDown, home, end
  case resize
  /// A mouse press or wheel turn at a screen cell.
  case mouse(MouseEvent)
}

public struct MouseEvent: Hashable, Sendable {
  public enum Kind: Hashable, Sendable { case press, wheelUp, wheelDown }
  public var kind: Kind
  public var x: Int, y: Int
  public init(_ kind: Kind, x: Int, y: Int) { self.kind = kind; self.x = x; self.y = y }
}

/// What a key asks the UI to do.
public enum Action: Hashable, Sendable {
  case togglePause, proxyNext, proxyPrevious, checkpoint, quit
  case confirmQuit(save: Bool), leaveRunning, cancel
  case focusNext, focusPrevious, focusPane(Int)
  case toggleLogY, smoothingDown, smoothingUp, toggleEnvelope, toggleXAxis, toggleLandmarkOrder
  case scrollUp, scrollDown, pageUp, pageDown, scrollTop, scrollBottom
  case toggleHelp, redraw, toggleRanking
}

/// One line of the help overlay: keys, what they are called there, and the action of each key
/// (one action for all keys, or one per key).
public struct KeyBinding: Sendable, Equatable {
  public var keys: [Key]
  public var label: String
  public var description: String
  public var actions: [Action]

  public func action(at i: Int) -> Action { actions.count == 1 ? actions[0] : actions[i] }
}

/// The key map is data plus a pure lookup, so the help overlay is generated from the same table the
/// dispatcher uses and can never drift from it.
public enum KeyMap {
  private static func c(_ s: Character) -> Key { .char(s) }

  public static let bindings: [KeyBinding] = [
    KeyBinding(keys: [c("p"), c(" ")], label: "p  space", description: "pause / resume training", actions: [.togglePause]),
    KeyBinding(keys: [c("g")], label: "g", description: "guidance proxy: next", actions: [.proxyNext]),
    KeyBinding(keys: [c("G")], label: "G", description: "guidance proxy: previous", actions: [.proxyPrevious]),
    KeyBinding(keys: [c("s")], label: "s", description: "save a checkpoint now", actions: [.checkpoint]),
    KeyBinding(keys: [c("q")], label: "q", description: "quit (asks whether to save)", actions: [.quit]),
    KeyBinding(keys: [.tab, .backTab], label: "tab  S-tab", description: "focus next / previous pane",
               actions: [.focusNext, .focusPrevious]),
    KeyBinding(keys: [c("1"), c("2"), c("3"), c("4"), c("5")], label: "1 … 5",
               description: "maximise a pane (again: restore)", actions: (1...5).map { .focusPane($0) }),
    KeyBinding(keys: [c("l")], label: "l", description: "log-scale y axis", actions: [.toggleLogY]),
    KeyBinding(keys: [c("["), c("]")], label: "[  ]", description: "less / more EMA smoothing",
               actions: [.smoothingDown, .smoothingUp]),
    KeyBinding(keys: [c("e")], label: "e", description: "min/max envelope on / off", actions: [.toggleEnvelope]),
    KeyBinding(keys: [c("x")], label: "x", description: "x axis: step / epoch", actions: [.toggleXAxis]),
    KeyBinding(keys: [c("o")], label: "o", description: "landmark order (ranking: x axis): prior / ground truth",
               actions: [.toggleLandmarkOrder]),
    KeyBinding(keys: [c("r")], label: "r", description: "ranking view: landmark ranks vs prior / GT",
               actions: [.toggleRanking]),
    KeyBinding(keys: [.up, .down, c("k"), c("j")], label: "↑ ↓  k j", description: "scroll the focused list (ranking: select)",
               actions: [.scrollUp, .scrollDown, .scrollUp, .scrollDown]),
    KeyBinding(keys: [.pageUp, .pageDown], label: "PgUp PgDn", description: "scroll a page", actions: [.pageUp, .pageDown]),
    KeyBinding(keys: [.home, .end], label: "Home End", description: "newest / oldest entries",
               actions: [.scrollTop, .scrollBottom]),
    KeyBinding(keys: [c("?"), c("h")], label: "?  h", description: "this help", actions: [.toggleHelp]),
    KeyBinding(keys: [.escape], label: "Esc", description: "close overlay / restore layout", actions: [.cancel]),
    KeyBinding(keys: [c("\u{0C}")], label: "Ctrl-L", description: "redraw the screen", actions: [.redraw]),
  ]

  /// Keys of the quit prompt (it has its own small map so stray keys cannot quit by accident).
  public static let promptBindings: [KeyBinding] = [
    KeyBinding(keys: [c("y"), .enter], label: "y  Enter", description: "quit prompt: save, then quit (default)",
               actions: [.confirmQuit(save: true)]),
    KeyBinding(keys: [c("n")], label: "n", description: "quit prompt: quit without saving", actions: [.confirmQuit(save: false)]),
    KeyBinding(keys: [c("l")], label: "l", description: "quit prompt: leave the job running (--ranks; re-attach with rdnas monitor)",
               actions: [.leaveRunning]),
    KeyBinding(keys: [.escape], label: "Esc", description: "quit prompt: cancel", actions: [.cancel]),
  ]

  /// The action of a key; letters also match in the other case unless that case has its own binding (G).
  public static func action(for key: Key, prompt: Bool = false) -> Action? {
    let table = prompt ? promptBindings : bindings
    if let a = lookup(key, table) { return a }
    if case .char(let ch) = key, ch.isLetter {
      let other: Character = ch.isUppercase ? Character(ch.lowercased()) : Character(ch.uppercased())
      return lookup(.char(other), table)
    }
    return nil
  }

  private static func lookup(_ key: Key, _ table: [KeyBinding]) -> Action? {
    for b in table { if let i = b.keys.firstIndex(of: key) { return b.action(at: i) } }
    return nil
  }
}
