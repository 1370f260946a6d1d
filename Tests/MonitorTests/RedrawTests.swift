import XCTest
import RunEvents
@testable import Monitor

/// What keeps the monitor cheap over SSH: when frames are drawn, which panes hold still between list
/// refreshes, and chart axes that do not move with every point.
final class RedrawTests: XCTestCase {
  func testKeysDrawAtOnceDataIsCappedListsRefreshSlower() {
    var p = RedrawPolicy(framesPerSecond: 2, listSeconds: 2, heartbeatSeconds: 1)
    XCTAssertEqual(p.frame(now: 0), RedrawPolicy.Frame(holdLists: false), "the first frame draws everything")
    XCTAssertNil(p.frame(now: 0.1), "nothing new")
    p.noteData()
    XCTAssertNil(p.frame(now: 0.2), "data waits for the frame interval")
    XCTAssertEqual(p.secondsUntilDue(now: 0.2), 0.3, accuracy: 1e-9)
    XCTAssertEqual(p.frame(now: 0.5), RedrawPolicy.Frame(holdLists: true), "charts move, lists hold")
    p.noteInput()
    XCTAssertEqual(p.secondsUntilDue(now: 0.6), 0)
    XCTAssertEqual(p.frame(now: 0.6), RedrawPolicy.Frame(holdLists: false), "a key draws everything at once")
    p.noteData()
    XCTAssertEqual(p.frame(now: 1.1), RedrawPolicy.Frame(holdLists: true))
    XCTAssertNil(p.frame(now: 1.2))
    // No more data: the held lists still catch up once their interval has passed.
    XCTAssertEqual(p.secondsUntilDue(now: 1.2), 0.9, accuracy: 1e-9, "heartbeat first")
    XCTAssertEqual(p.frame(now: 2.1), RedrawPolicy.Frame(holdLists: true))
    XCTAssertEqual(p.secondsUntilDue(now: 2.1), 0.5, accuracy: 1e-9)
    XCTAssertEqual(p.frame(now: 2.6), RedrawPolicy.Frame(holdLists: false), "held lists catch up")
    XCTAssertEqual(p.frame(now: 3.6), RedrawPolicy.Frame(holdLists: true), "heartbeat")
  }

  func testHeldListPanesKeepTheirCellsOthersMove() {
    var ui = Fixture.busyUI(steps: 60)
    let shown = Fixture.render(ui, width: 120, height: 36)
    for i in 61...65 { ui.apply(Fixture.step(i, loss: 1.4), now: 0) }
    var next = Fixture.render(ui, width: 120, height: 36)
    let layout = Layout.compute(width: 120, height: 36)
    func changed(_ a: ScreenBuffer, _ b: ScreenBuffer, _ pane: PaneID) -> Int {
      let r = layout.panes[pane]!
      var n = 0
      for y in r.y..<r.maxY { for x in r.x..<r.maxX where a[x, y] != b[x, y] { n += 1 } }
      return n
    }
    XCTAssertGreaterThan(changed(shown, next, .subnets), 0, "new steps scroll the list")
    ui.holdListPanes(in: &next, shown: shown)
    for p in MonitorUI.listPanes { XCTAssertEqual(changed(shown, next, p), 0, "\(p) held") }
    XCTAssertGreaterThan(changed(shown, next, .loss), 0, "the loss pane still shows the new steps")
    XCTAssertTrue(next.row(35).contains("65"), "status bar has the newest step")
    // Not under an overlay: that would cut it.
    ui.view.overlay = .help
    var help = Fixture.render(ui, width: 120, height: 36)
    let fresh = help
    ui.holdListPanes(in: &help, shown: shown)
    XCTAssertEqual(help, fresh)
  }

  func testStableAxesMoveOnlyWhenDataCrossesAStep() {
    XCTAssertEqual(LineChart.niceStep(0.13), 0.2, accuracy: 1e-12)
    XCTAssertEqual(LineChart.niceStep(7), 10)
    XCTAssertEqual(LineChart.niceStep(1), 1)
    XCTAssertEqual(LineChart.stable(0...900, divisions: 8), 0...1000)
    XCTAssertEqual(LineChart.stable(0...950, divisions: 8), 0...1000, "same range: nothing redrawn")
    XCTAssertEqual(LineChart.stable(0...1001, divisions: 8), 0...1200)
    let y = LineChart.stable(1.234...2.31, divisions: 10)
    XCTAssertEqual(y.lowerBound, 1.2, accuracy: 1e-9)
    XCTAssertEqual(y.upperBound, 2.4, accuracy: 1e-9)
    // A nearly flat series (float noise in the learning rate) gets a range of a fixed relative width.
    let lr = LineChart.stable(0.049999999...0.05, divisions: 10)
    XCTAssertEqual(lr, LineChart.stable(0.0499999995...0.05, divisions: 10))
    XCTAssertTrue(lr.contains(0.049999999) && lr.contains(0.05))
  }

  /// The measure that matters: one more logged step changes few cells of the loss pane.
  func testAStepChangesFewLossPaneCells() {
    var ui = Fixture.busyUI(steps: 410)
    let before = Fixture.render(ui, width: 120, height: 36)
    ui.apply(Fixture.step(411, loss: 3 - 411.0 / 40), now: 0)
    let after = Fixture.render(ui, width: 120, height: 36)
    let r = Layout.compute(width: 120, height: 36).panes[.loss]!
    var n = 0
    for y in r.y..<r.maxY { for x in r.x..<r.maxX where before[x, y] != after[x, y] { n += 1 } }
    XCTAssertLessThan(n, r.width * r.height / 20, "\(n) of \(r.width * r.height) cells changed")
  }
}

/// Issue 15's smaller gaps.
final class MonochromeAndSmallLayoutTests: XCTestCase {
  /// Without colour the loss series differ by glyph, in the chart and in the legend; with colour they do not.
  func testMonochromeLossSeriesUseDistinctGlyphs() {
    let ui = Fixture.busyUI(steps: 120)
    let mono = Fixture.render(ui, width: 120, height: 36, theme: .builtinMono)
    let r = Layout.compute(width: 120, height: 36).panes[.loss]!
    var seen = Set<Character>()
    for y in (r.y + 3)..<(r.maxY - 1) { for x in r.x..<r.maxX { seen.insert(mono[x, y].char) } }
    // busyUI: largest (+) at loss/2; smallest, random and KD all at loss/4, so KD (*, drawn last) covers x and o;
    // the rank loss (#) along the bottom.
    for m: Character in ["+", "*", "#"] { XCTAssertTrue(seen.contains(m), "marker \(m) drawn:\n\(mono.renderText())") }
    XCTAssertTrue(mono.row(r.y + 1).contains("+ largest"), mono.row(r.y + 1))
    let colour = Fixture.render(ui, width: 120, height: 36, theme: .fallback)
    XCTAssertFalse(colour.row(r.y + 1).contains("+ largest"), "colour keeps the coloured bullets")
  }
}
extension MonochromeAndSmallLayoutTests {
  func busy() -> MonitorUI {
    var ui = Fixture.busyUI(steps: 60)
    ui.apply(.evaluation(EvaluationRecord(step: 60, epoch: 0, accuracies: [0.5, 0.4, 0.3, 0.2], tauGroundTruth: 0.5,
                                          tauProxy: 0.3, tauPrevious: 0.9, losses: [1, 2, 3, 4], tauGroundTruthByLoss: 0.35)), now: 0)
    return ui
  }

  /// At exactly 60×16 the rank-pair rows keep both comparisons whole, and the τ values are never cut mid-way.
  func testSixtyBySixteenKeepsPairRowsAndTauValuesWhole() {
    let buf = Fixture.render(busy(), width: 60, height: 16)
    let layout = Layout.compute(width: 60, height: 16)
    let pairs = layout.panes[.pairs]!
    let rows = (pairs.y + 1..<pairs.maxY - 1).map { buf.row($0) }
    let pairRow = rows.first { $0.contains("✗") || $0.contains("✓") }
    XCTAssertNotNil(pairRow, rows.joined(separator: "\n"))
    XCTAssertTrue(pairRow?.contains("2M>1M 0.60>0.50") ?? false, pairRow ?? "")
    XCTAssertFalse(pairRow?.contains("…") ?? true, pairRow ?? "")
    for size in [(60, 16), (80, 24), (100, 30), (120, 36)] {
      let b = Fixture.render(busy(), width: size.0, height: size.1)
      let tau = Layout.compute(width: size.0, height: size.1).panes[.tau]!
      let line = (tau.y..<tau.maxY).map { b.row($0) }.first { $0.contains("GT 0.5") }
      XCTAssertNotNil(line, "τ values at \(size)")
      XCTAssertFalse(line?.contains("…") ?? true, "\(size): \(line ?? "")")
    }
    let wide = Fixture.render(busy(), width: 160, height: 40).renderText()
    XCTAssertTrue(wide.contains("GT 0.500  proxy 0.300  prev 0.900  GT-loss 0.350"), "all four when there is room")
  }

  /// ResNet codes of other stage counts are coloured by their own layout, not the 4-stage one.
  func testResNetStageCountIsReadOffTheCode() {
    let three = "1" + "212" + "3" + "4545" + "00" + "45" + "0000" + "4545" + "00"
    XCTAssertEqual(ArchText.resnetStages(three), 3)
    let roles = ArchText.resnetRoles(three, stages: ArchText.resnetStages(three))
    XCTAssertEqual(Array(roles[1...3]), [.depthDigit, .depthDigit, .depthDigit])
    XCTAssertEqual(roles[4], .widthCode(3), "the stem, not a fourth depth")
    let competition = "1" + "3452" + "5" + String(repeating: "34", count: 14) + String(repeating: "00", count: 9)
    XCTAssertEqual(competition.count, 52)
    XCTAssertEqual(ArchText.resnetStages(competition), 4)
    XCTAssertEqual(ArchText.spans(three, width: 10).map(\.text).joined(), "21234545454545",
                   "compact form drops the unused 00 slots of every stage")
  }
}
