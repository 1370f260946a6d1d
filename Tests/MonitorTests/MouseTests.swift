import XCTest
import RunEvents
@testable import Monitor

final class MouseTests: XCTestCase {
  let screen = (width: 100, height: 30)

  func testPressFocusesTitlePressMaximisesWheelScrolls() {
    var ui = Fixture.busyUI()
    let layout = Layout.compute(width: 100, height: 30)
    let subnets = layout.panes[.subnets]!
    _ = ui.handle(.mouse(MouseEvent(.press, x: subnets.x + 3, y: subnets.y + 3)), now: 0, screen: screen)
    XCTAssertEqual(ui.view.focus, .subnets)
    XCTAssertNil(ui.view.maximised, "a press in the body only focuses")
    _ = ui.handle(.mouse(MouseEvent(.wheelDown, x: subnets.x + 3, y: subnets.y + 3)), now: 0, screen: screen)
    XCTAssertEqual(ui.view.scrollOffset(.subnets), 3)
    let tau = layout.panes[.tau]!
    _ = ui.handle(.mouse(MouseEvent(.press, x: tau.x + 4, y: tau.y)), now: 0, screen: screen)
    XCTAssertEqual(ui.view.focus, .tau)
    XCTAssertEqual(ui.view.maximised, .tau, "a press on the title maximises")
    _ = ui.handle(.mouse(MouseEvent(.press, x: 4, y: 0)), now: 0, screen: screen)
    XCTAssertNil(ui.view.maximised, "and again restores")
    // The status bar and a quit prompt ignore presses.
    _ = ui.handle(.mouse(MouseEvent(.press, x: 4, y: 29)), now: 0, screen: screen)
    XCTAssertEqual(ui.view.focus, .tau)
    ui.view.overlay = .quitPrompt
    XCTAssertEqual(ui.handle(.mouse(MouseEvent(.press, x: 4, y: 10)), now: 0, screen: screen), KeyOutcome())
    XCTAssertEqual(ui.view.overlay, .quitPrompt)
    ui.view.overlay = .help
    _ = ui.handle(.mouse(MouseEvent(.press, x: 4, y: 10)), now: 0, screen: screen)
    XCTAssertEqual(ui.view.overlay, .none, "a press closes the help")
  }

  func testRankingViewPressSelectsRowWheelMovesSelection() {
    var ui = MonitorUI()
    ui.apply(Fixture.run(), now: 0)
    ui.apply(RankingTests.landmarks(), now: 0)
    ui.apply(RankingTests.evaluation(100, [0.30, 0.50, 0.20, 0.40]), now: 0)
    ui.view.ranking = true
    let body = Layout.compute(width: 100, height: 30).body
    let table = RankingView.geometry(body).table
    // Rows by current rank: #1, #3, #0, #2; press the third.
    _ = ui.handle(.mouse(MouseEvent(.press, x: table.x + 2, y: table.y + 3)), now: 0, screen: screen)
    XCTAssertEqual(ui.view.rankingSelection, 0)
    XCTAssertTrue(Fixture.render(ui, width: 100, height: 30).renderText().contains("params 1.2M"))
    _ = ui.handle(.mouse(MouseEvent(.wheelDown, x: table.x + 2, y: table.y + 3)), now: 0, screen: screen)
    XCTAssertEqual(ui.view.rankingSelection, 2)
    _ = ui.handle(.mouse(MouseEvent(.wheelUp, x: 1, y: 1)), now: 0, screen: screen)
    _ = ui.handle(.mouse(MouseEvent(.wheelUp, x: 1, y: 1)), now: 0, screen: screen)
    XCTAssertEqual(ui.view.rankingSelection, 3)
  }
}
