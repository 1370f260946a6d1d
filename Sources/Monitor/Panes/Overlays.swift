/// The help overlay (generated from `KeyMap`) and the quit confirmation.
enum Overlays {
  /// Help lines: every binding of the main map, then the quit prompt's keys on one line.
  static var helpLines: [(keys: String, text: String)] {
    KeyMap.bindings.map { ($0.label, $0.description) }
      + [(KeyMap.promptBindings.map(\.label).joined(separator: " "), "quit prompt: save+quit / quit / leave running / cancel"),
         ("mouse", "click: focus (title: maximise) · wheel: scroll")]
  }

  static func drawHelp(into buf: inout ScreenBuffer, area: Rect) {
    let lines = helpLines
    let keyW = (lines.map(\.keys.count).max() ?? 8) + 2
    let textW = lines.map(\.text.count).max() ?? 30
    // Two columns when one does not fit vertically and there is room across.
    let oneColumnHeight = lines.count + 2
    let twoColumns = oneColumnHeight > area.height && area.width >= 2 * (keyW + textW) + 7
    let perColumn = twoColumns ? (lines.count + 1) / 2 : lines.count
    let colW = keyW + textW
    let box = area.centered(width: (twoColumns ? 2 * colW + 3 : colW) + 4, height: perColumn + 2)
    buf.fill(box, style: .plain)
    buf.box(box, title: [Span("keys", .role(.title, bold: true)), Span(" · letters work in either case, g/G differ", .role(.dim))],
            style: .role(.accent, bold: true))
    let inner = box.inset(left: 2, top: 1, right: 2, bottom: 1)
    buf.withClip(inner) { b in
      for (i, l) in lines.enumerated() {
        let col = twoColumns ? i / perColumn : 0, row = twoColumns ? i % perColumn : i
        let x = inner.x + col * (colW + 3), y = inner.y + row
        b.text(l.keys, x: x, y: y, maxWidth: keyW, style: .role(.accent, bold: true))
        b.text(l.text, x: x + keyW, y: y, maxWidth: textW, style: .role(.text))
      }
    }
    if box.height < perColumn + 2 || box.width < colW + 4 {
      buf.text(" more: enlarge the terminal ", x: box.x + 2, y: box.maxY - 1, style: .role(.dim))
    }
  }

  static let quitQuestion = "save checkpoint before quitting? [Y/n]"

  static func drawQuitPrompt(into buf: inout ScreenBuffer, area: Rect, canLeaveRunning: Bool = false) {
    let hint = canLeaveRunning ? "Enter/y: save and stop · n: stop · l: leave it running · Esc: cancel"
                               : "Enter/y: save and quit · n: quit · Esc: cancel"
    let w = min(area.width, max(quitQuestion.count, hint.count) + 6)
    let box = area.centered(width: w, height: 6)
    buf.fill(box, style: .plain)
    buf.box(box, title: [Span("quit", .role(.title, bold: true))], style: .role(.warn, bold: true))
    buf.textCentered(quitQuestion, in: box.inset(left: 1, right: 1), y: box.y + 2, style: .role(.text, bold: true))
    buf.textCentered(hint, in: box.inset(left: 1, right: 1), y: box.y + 3, style: .role(.dim))
  }

  /// A one-line banner over the top of the body when training failed (kept until quit).
  static func drawFailure(_ message: String, step: Int, into buf: inout ScreenBuffer, area: Rect) {
    let text = " training failed at step \(step): \(message) "
    let w = min(area.width - 2, text.count)
    buf.text(text, x: area.x + max(1, (area.width - w) / 2), y: area.y, maxWidth: w, style: .role(.bad, bold: true, reverse: true))
  }
}
