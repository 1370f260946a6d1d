import XCTest
@testable import Monitor

final class KeyMapTests: XCTestCase {
  func testEveryBindingResolvesToItsAction() {
    for b in KeyMap.bindings {
      for (i, k) in b.keys.enumerated() { XCTAssertEqual(KeyMap.action(for: k), b.action(at: i), "\(k)") }
    }
    for b in KeyMap.promptBindings {
      for (i, k) in b.keys.enumerated() { XCTAssertEqual(KeyMap.action(for: k, prompt: true), b.action(at: i), "\(k)") }
    }
  }

  func testLettersWorkInBothCasesExceptTheGPair() {
    let expected: [Character: Action] = [
      "p": .togglePause, "s": .checkpoint, "q": .quit, "l": .toggleLogY, "e": .toggleEnvelope, "x": .toggleXAxis,
      "o": .toggleLandmarkOrder, "k": .scrollUp, "j": .scrollDown, "h": .toggleHelp,
    ]
    for (c, a) in expected {
      XCTAssertEqual(KeyMap.action(for: .char(c)), a, "\(c)")
      XCTAssertEqual(KeyMap.action(for: .char(Character(c.uppercased()))), a, "\(c.uppercased())")
    }
    XCTAssertEqual(KeyMap.action(for: .char("g")), .proxyNext)
    XCTAssertEqual(KeyMap.action(for: .char("G")), .proxyPrevious)
    XCTAssertEqual(KeyMap.action(for: .char("Y"), prompt: true), .confirmQuit(save: true))
    XCTAssertEqual(KeyMap.action(for: .char("N"), prompt: true), .confirmQuit(save: false))
    XCTAssertNil(KeyMap.action(for: .char("p"), prompt: true), "prompt ignores stray keys")
    XCTAssertNil(KeyMap.action(for: .char("z")))
  }

  func testSpecificKeys() {
    XCTAssertEqual(KeyMap.action(for: .char(" ")), .togglePause)
    XCTAssertEqual(KeyMap.action(for: .tab), .focusNext)
    XCTAssertEqual(KeyMap.action(for: .char("3")), .focusPane(3))
    XCTAssertEqual(KeyMap.action(for: .char("[")), .smoothingDown)
    XCTAssertEqual(KeyMap.action(for: .char("]")), .smoothingUp)
    XCTAssertEqual(KeyMap.action(for: .pageDown), .pageDown)
    XCTAssertEqual(KeyMap.action(for: .escape), .cancel)
    XCTAssertEqual(KeyMap.action(for: .char("?")), .toggleHelp)
    XCTAssertEqual(KeyMap.action(for: .enter, prompt: true), .confirmQuit(save: true))
  }

  func testHelpOverlayListsEveryKeyAt80x24() {
    var ui = Fixture.busyUI()
    _ = ui.handle(.char("?"), now: 0, screen: (80, 24))
    XCTAssertEqual(ui.view.overlay, .help)
    let text = Fixture.render(ui, width: 80, height: 24).renderText()
    for b in KeyMap.bindings {
      XCTAssertTrue(text.contains(b.label), "missing keys \(b.label)\n\(text)")
      XCTAssertTrue(text.contains(b.description), "missing \(b.description)")
    }
    for b in KeyMap.promptBindings { XCTAssertTrue(text.contains(b.label), "prompt key \(b.label)") }
    XCTAssertTrue(text.contains("wheel: scroll"), "the mouse line\n\(text)")
    XCTAssertFalse(text.contains("enlarge the terminal"))
    _ = ui.handle(.escape, now: 0, screen: (80, 24))
    XCTAssertEqual(ui.view.overlay, .none)
  }
}
