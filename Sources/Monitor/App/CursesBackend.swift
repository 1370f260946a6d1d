import CNcurses
import Common
import Foundation
import Synchronization

/// The only code that talks to ncurses: terminal set-up and restore, key input, and copying a
/// `ScreenBuffer` to the screen (only cells that changed since the last frame are written).
///
/// ncurses is not thread-safe: create, use and restore this on one thread (the UI loop's).
public final class CursesBackend {
  /// Colours the terminal offers (0 when colour is off: no support, monochrome theme or NO_COLOR).
  public private(set) var colors = 0
  /// Whether the locale is UTF-8 (else the UI must use ASCII glyphs).
  public let unicode: Bool

  private var screen: OpaquePointer?
  /// The stream curses writes to (a duplicate of standard output).
  private var output: UnsafeMutablePointer<FILE>?
  private var previous: ScreenBuffer?
  private var pairs: [PairKey: Int16] = [:]
  private var nextPair: Int16 = 1
  private let maxPairs: Int
  private var styleCache: [Style: (attr_t, Int16)] = [:]
  private var cachedTheme: Theme?
  private let restored = Atomic<Bool>(false)
  /// Whether -1 ("the terminal's own colour") is allowed in colour pairs.
  private var defaultColors = false

  private struct PairKey: Hashable { var fg: Int, bg: Int }

  /// Sets up the terminal. Throws when there is none usable (no TERM, unknown TERM, output not a tty).
  public init(monochrome: Bool, mouse: Bool = true) throws {
    setlocale(LC_ALL, "")
    if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
    unicode = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
    let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
    let advice = "cannot open the terminal (TERM=\(term.isEmpty ? "unset" : term)); use --headless"
    guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
      throw RDNASError.failure(advice.replacingOccurrences(of: "cannot open the terminal",
                                                           with: "standard input/output is not a terminal"))
    }
    guard !term.isEmpty, let out = fdopen(dup(STDOUT_FILENO), "w"), let inp = fdopen(dup(STDIN_FILENO), "r"),
          let scr = newterm(nil, out, inp) else {
      throw RDNASError.failure(advice)
    }
    screen = scr
    output = out
    set_term(scr)
    let win = rd_stdscr()
    cbreak()
    noecho()
    nonl()
    keypad(win, true)
    intrflush(win, false)
    set_escdelay(25)
    curs_set(0)
    if !monochrome && has_colors() {
      start_color()
      defaultColors = use_default_colors() == 0
      colors = Int(rd_colors())
    }
    maxPairs = min(Int(rd_color_pairs()), Int(Int16.max))
    if mouse {
      // Presses arrive at once (no click detection delay); the terminal then keeps text selection for Shift.
      mousemask(rd_mouse_mask(), nil)
      mouseinterval(0)
    }
    wrefresh(win)  // the first refresh, so later wgetch calls do not blank the screen
  }

  deinit { restore() }

  /// Current terminal size in cells.
  public var size: (width: Int, height: Int) { (Int(rd_cols()), Int(rd_lines())) }

  /// Waits up to `timeoutMs` for a key (0 = just poll); nil when none came.
  public func readKey(timeoutMs: Int32) -> Key? {
    guard !restored.load(ordering: .relaxed) else { return nil }
    let win = rd_stdscr()
    wtimeout(win, max(0, timeoutMs))
    let c = wgetch(win)
    guard c != -1 else { return nil }
    if c == KEY_RESIZE { previous = nil }
    if c == KEY_MOUSE {
      var x: Int32 = 0, y: Int32 = 0
      switch rd_mouse_next(&x, &y) {
      case 1: return .mouse(MouseEvent(.press, x: Int(x), y: Int(y)))
      case 2: return .mouse(MouseEvent(.wheelUp, x: Int(x), y: Int(y)))
      case 3: return .mouse(MouseEvent(.wheelDown, x: Int(x), y: Int(y)))
      default: return readKey(timeoutMs: 0)  // a release or motion: nothing to do
      }
    }
    if c == 27 { return readEscapeSequence(win) }
    return CursesBackend.translate(c)
  }

  /// After an Esc that ncurses did not decode: the rest of a sequence this TERM's terminfo does not list
  /// (tmux or screen send Home as `ESC [1~` while TERM says xterm's `ESC OH`), read and decoded here. Its
  /// bytes must never reach the key map one by one: the `1` of `ESC [1~` would maximise pane 1.
  private func readEscapeSequence(_ win: UnsafeMutablePointer<WINDOW>?) -> Key? {
    wtimeout(win, 10)  // the bytes of one sequence arrive together; a lone Esc is followed by nothing
    var bytes: [UInt8] = []
    let first = wgetch(win)
    guard first >= 0 else { return .escape }
    guard first == Int32(UInt8(ascii: "[")) || first == Int32(UInt8(ascii: "O")) else {
      ungetch(first)  // Esc, then a key typed right after it (or an Alt chord): both count, in order
      return .escape
    }
    bytes.append(UInt8(first))
    while bytes.count < 12 {
      let c = wgetch(win)
      guard c >= 0, c < 256 else { break }
      bytes.append(UInt8(c))
      if !CursesBackend.escapeSequenceContinues(bytes) { break }
    }
    return CursesBackend.decodeEscape(bytes)
  }

  /// Whether `bytes` (what followed an Esc) is an unfinished CSI (`[` … final byte) or SS3 (`O` x) sequence.
  static func escapeSequenceContinues(_ bytes: [UInt8]) -> Bool {
    guard let first = bytes.first else { return true }
    if first == UInt8(ascii: "O") { return bytes.count < 2 }
    guard first == UInt8(ascii: "[") else { return false }
    if bytes.count == 1 { return true }
    let last = bytes[bytes.count - 1]
    return !(0x40...0x7E).contains(last)
  }

  /// The key of the bytes after an Esc: none is Esc itself; the VT/xterm/rxvt spellings of arrows, Home, End,
  /// Page Up/Down and Shift-Tab; anything else (an Alt chord, an unknown sequence) is dropped whole.
  static func decodeEscape(_ bytes: [UInt8]) -> Key? {
    guard !bytes.isEmpty else { return .escape }
    let s = String(decoding: bytes, as: UTF8.self)
    switch s {
    case "[A", "OA": return .up
    case "[B", "OB": return .down
    case "[C", "OC": return .right
    case "[D", "OD": return .left
    case "[H", "OH", "[1~", "[7~": return .home
    case "[F", "OF", "[4~", "[8~": return .end
    case "[5~": return .pageUp
    case "[6~": return .pageDown
    case "[Z": return .backTab
    default: return nil
    }
  }

  static func translate(_ c: Int32) -> Key? {
    switch c {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_PPAGE: return .pageUp
    case KEY_NPAGE: return .pageDown
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_BTAB: return .backTab
    case KEY_RESIZE: return .resize
    case KEY_ENTER, 10, 13: return .enter
    case KEY_BACKSPACE, 127, 8: return .backspace
    case 9: return .tab
    case 27: return .escape
    case 0..<128: return Unicode.Scalar(UInt32(c)).map { .char(Character($0)) }
    default: return nil
    }
  }

  /// Copies `buf` to the terminal. Only cells that differ from the previous frame are written, unless
  /// `force` (Ctrl-L), a resize or a size change asks for a full repaint.
  public func present(_ buf: ScreenBuffer, theme: Theme, force: Bool = false) {
    guard !restored.load(ordering: .relaxed) else { return }
    let win = rd_stdscr()
    if cachedTheme != theme { styleCache = [:]; cachedTheme = theme }
    let prev = (force || previous?.width != buf.width || previous?.height != buf.height) ? nil : previous
    if prev == nil { werase(win); clearok(win, true) }
    for y in 0..<buf.height {
      var x = 0
      while x < buf.width {
        let cell = buf[x, y]
        if let p = prev, p[x, y] == cell { x += 1; continue }
        var run = String(cell.char), end = x + 1
        while end < buf.width, buf[end, y].style == cell.style, prev.map({ $0[end, y] != buf[end, y] }) ?? true {
          run.append(buf[end, y].char); end += 1
        }
        let (attrs, pair) = attributes(cell.style, theme: theme)
        wattr_set(win, attrs, pair, nil)
        wmove(win, Int32(y), Int32(x))
        waddnstr(win, run, -1)  // ERR at the bottom-right cell is harmless
        x = end
      }
    }
    wattr_set(win, 0, 0, nil)
    previous = buf
    wnoutrefresh(win)
    doupdate()
  }

  private func attributes(_ s: Style, theme: Theme) -> (attr_t, Int16) {
    if let hit = styleCache[s] { return hit }
    let r = theme.resolve(s)
    var a: attr_t = 0
    if r.bold { a |= rd_a_bold() }
    if r.dim { a |= rd_a_dim() }
    if r.reverse { a |= rd_a_reverse() }
    if r.underline { a |= rd_a_underline() }
    var pair: Int16 = 0
    if colors > 0, !theme.monochrome {
      var key = PairKey(fg: ColorNames.fit(r.fg, colors: colors), bg: ColorNames.fit(r.bg, colors: colors))
      if !defaultColors && (key.fg != -1 || key.bg != -1) {
        if key.fg == -1 { key.fg = 7 }
        if key.bg == -1 { key.bg = 0 }
      }
      if key.fg != -1 || key.bg != -1 {
        if let p = pairs[key] {
          pair = p
        } else if Int(nextPair) < maxPairs {
          init_pair(nextPair, Int16(key.fg), Int16(key.bg))
          pairs[key] = nextPair
          pair = nextPair
          nextPair += 1
        }
      }
    }
    styleCache[s] = (a, pair)
    return (a, pair)
  }

  /// Lets go of a terminal that hung up, without writing to it: curses' output is pointed at /dev/null first,
  /// so the reset sequences of `endwin` (and any buffered frame) go nowhere instead of to a dead pty, or to a
  /// pty the kernel has since given to someone else.
  public func abandon() {
    guard !restored.load(ordering: .relaxed) else { return }
    if let out = output {
      let null = open("/dev/null", O_WRONLY)
      if null >= 0 { dup2(null, fileno(out)); close(null) }
    }
    restore()
  }

  /// Gives the terminal back (cursor, echo, normal screen). Safe to call more than once.
  public func restore() {
    let (first, _) = restored.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent)
    guard first else { return }
    curs_set(1)
    endwin()
    if let s = screen { delscreen(s) }
    screen = nil
    fflush(nil)
  }
}
