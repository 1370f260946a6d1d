import XCTest
import RunEvents
@testable import Monitor

/// The ranking view's model (a fold over landmark and evaluation events) and its rendering.
final class RankingTests: XCTestCase {
  static let archs = ["|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
                      "|nor_conv_1x1~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|none~1|avg_pool_3x3~2|",
                      "|avg_pool_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|",
                      "|skip_connect~0|+|nor_conv_3x3~0|none~1|+|nor_conv_1x1~0|skip_connect~1|none~2|"]

  static func landmarks(gt: Bool = true) -> TrainerEvent {
    .landmarks(LandmarkSet(archs: archs, groundTruth: gt ? [0.93, 0.85, 0.10, 0.70] : nil, prior: [4e7, 1e7, 1e5, 2e7],
                           proxy: "flops", flops: [4e7, 1e7, 1e5, 2e7], params: [1_200_000, 400_000, 2_000, 700_000]))
  }

  static func evaluation(_ step: Int, _ acc: [Double], losses: [Double]? = nil) -> TrainerEvent {
    .evaluation(EvaluationRecord(step: step, epoch: step / 100, accuracies: acc, tauGroundTruth: 0.5, tauProxy: 0.3,
                                 tauPrevious: nil, losses: losses))
  }

  func testRanksFollowEvaluationsWithTiesBrokenByLoss() {
    XCTAssertEqual(LandmarkRanking.ranks([0.5, 0.9, 0.5, 0.1]), [2, 1, 2, 4], "ties share the better rank")
    XCTAssertEqual(LandmarkRanking.ranks([0.5, 0.9, 0.5, 0.1], tieBreak: [-1.2, -1, -0.8, -2]), [3, 1, 2, 4])
    var m = MonitorModel()
    m.apply(Self.landmarks())
    XCTAssertEqual(m.ranking.priorRanks, [1, 3, 4, 2])
    XCTAssertEqual(m.ranking.groundTruthRanks, [1, 2, 4, 3])
    XCTAssertEqual(m.ranking.rows.map(\.index), [0, 3, 1, 2], "by prior before any evaluation")
    m.apply(Self.evaluation(100, [0.30, 0.50, 0.20, 0.40]))
    XCTAssertEqual(m.ranking.latest?.ranks, [3, 1, 4, 2])
    XCTAssertNil(m.ranking.rows.first?.change, "no change at the first evaluation")
    m.apply(Self.evaluation(200, [0.60, 0.50, 0.20, 0.40], losses: [1, 1.2, 2, 1.5]))
    let rows = m.ranking.rows
    XCTAssertEqual(rows.map(\.index), [0, 1, 3, 2])
    XCTAssertEqual(rows.map(\.change), [2, -1, -1, 0], "places gained since the previous evaluation")
    XCTAssertEqual(rows[0].loss, 1)
    XCTAssertEqual(rows[0].groundTruthRank, 1)
    XCTAssertEqual(m.ranking.scoreHistory(0), [0.30, 0.60])
    XCTAssertEqual(m.ranking.rankHistory(0), [3, 1])
    // The same set announced again (a resumed run) keeps the history; a different set starts over.
    m.apply(Self.landmarks())
    XCTAssertEqual(m.ranking.evaluations.count, 2)
    m.apply(.landmarks(LandmarkSet(archs: ["a", "b"], groundTruth: nil, prior: [1, 2], proxy: "params")))
    XCTAssertTrue(m.ranking.evaluations.isEmpty)
    m.apply(Self.evaluation(300, [0.1, 0.2, 0.3]))
    XCTAssertTrue(m.ranking.evaluations.isEmpty, "an evaluation of another size is ignored")
  }

  func testHistoryIsBounded() {
    var r = LandmarkRanking(historyLimit: 3)
    if case .landmarks(let l) = Self.landmarks() { r.setLandmarks(l) }
    for s in 1...5 {
      r.add(EvaluationRecord(step: s, epoch: 0, accuracies: [0.1 * Double(s), 0.2, 0.3, 0.4], tauGroundTruth: nil,
                             tauProxy: nil, tauPrevious: nil))
    }
    XCTAssertEqual(r.evaluations.map(\.step), [3, 4, 5])
  }

  func ui(evaluations: Int = 2) -> MonitorUI {
    var ui = MonitorUI()
    ui.apply(Fixture.run(), now: 0)
    ui.apply(Self.landmarks(), now: 0)
    if evaluations >= 1 { ui.apply(Self.evaluation(100, [0.30, 0.50, 0.20, 0.40]), now: 0) }
    if evaluations >= 2 { ui.apply(Self.evaluation(200, [0.60, 0.50, 0.20, 0.40], losses: [1, 1.2, 2, 1.5]), now: 0) }
    return ui
  }

  func testRKeyOpensTheViewAndSelectionShowsTheEncoding() {
    var ui = self.ui()
    _ = ui.handle(.char("r"), now: 0, screen: (120, 36))
    XCTAssertTrue(ui.view.ranking)
    var text = Fixture.render(ui, width: 120, height: 36).renderText()
    XCTAssertTrue(text.contains("Ranking"), text)
    XCTAssertFalse(text.contains("Loss curves"), "the view replaces the panes")
    XCTAssertTrue(text.contains("supernet rank"), text)
    // Default selection: the best-ranked landmark (#0), whose encoding, FLOPs and params are shown.
    XCTAssertTrue(text.contains("#0"), text)
    XCTAssertTrue(text.contains("FLOPs 40M"), text)
    XCTAssertTrue(text.contains("params 1.2M"), text)
    XCTAssertTrue(text.contains("▲2"), "landmark 0 gained two places:\n\(text)")
    _ = ui.handle(.down, now: 0, screen: (120, 36))
    _ = ui.handle(.char("j"), now: 0, screen: (120, 36))
    XCTAssertEqual(ui.view.rankingSelection, 3, "third row in current-rank order")
    text = Fixture.render(ui, width: 120, height: 36).renderText()
    XCTAssertTrue(text.contains("params 700k"), text)
    XCTAssertTrue(text.contains("sk|c3 --|c1 sk --"), "its encoding, coloured:\n\(text)")
    XCTAssertTrue(text.contains("|skip_connect~0|+|nor_conv_3x3~0|"), "and in full:\n\(text)")
    _ = ui.handle(.char("o"), now: 0, screen: (120, 36))
    XCTAssertTrue(Fixture.render(ui, width: 120, height: 36).renderText().contains("x: prior rank"), "o: against the prior")
    _ = ui.handle(.escape, now: 0, screen: (120, 36))
    XCTAssertFalse(ui.view.ranking)
    XCTAssertTrue(Fixture.render(ui, width: 120, height: 36).renderText().contains("Loss curves"))
  }

  func testScatterHighlightsLatestEvaluationAndSelection() {
    var ui = self.ui()
    ui.view.ranking = true
    let buf = Fixture.render(ui, width: 120, height: 36)
    var accent = 0, faint = 0, marks = 0
    for y in 0..<buf.height {
      for x in 0..<buf.width {
        let c = buf[x, y]
        if c.char == "◆" { marks += 1 }
        guard let v = c.char.unicodeScalars.first?.value, (0x2801...0x28FF).contains(v) else { continue }
        if c.style.fg == .role(.accent), !c.style.dim { accent += 1 }
        if c.style.dim { faint += 1 }
      }
    }
    XCTAssertEqual(marks, 1, "the selected landmark is marked")
    XCTAssertGreaterThanOrEqual(accent, 2, "latest evaluation drawn bright")
    XCTAssertGreaterThan(faint, 0, "diagonal / previous evaluation drawn faint")
  }

  func testSmallTerminalAndNoLandmarks() {
    var ui = self.ui()
    ui.view.ranking = true
    let small = Fixture.render(ui, width: 60, height: 16).renderText()
    print(small)
    XCTAssertTrue(small.contains("Ranking"), small)
    XCTAssertTrue(small.contains("#0"), small)
    var empty = MonitorUI()
    empty.apply(Fixture.run(), now: 0)
    empty.view.ranking = true
    XCTAssertTrue(Fixture.render(empty, width: 100, height: 30).renderText().contains("needs --proxy or --gt"))
    var waiting = self.ui(evaluations: 0)
    waiting.view.ranking = true
    XCTAssertTrue(Fixture.render(waiting, width: 100, height: 30).renderText().contains("waiting for the first evaluation"))
  }
}
