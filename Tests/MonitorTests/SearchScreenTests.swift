import XCTest
import RunEvents
@testable import Monitor

/// The monitor on a search's events: the fold (each code once, the Pareto front, best first, ETA), the
/// screen (scatter, best-so-far table, generations, status bar) and its keys.
final class SearchScreenTests: XCTestCase {
  let screen = (width: 100, height: 30)

  static func candidate(_ event: String, _ arch: String, generation: Int, flops: Double, score: Double) -> SearchEvent {
    var e = SearchEvent(event: event, time: 100)
    e.arch = arch; e.generation = generation; e.flops = flops; e.score = score; e.accuracy = score
    e.loss = 1 - score; e.params = 1000
    return e
  }

  /// Two generations of three; generation 1's last candidate scored but its generation line not yet in.
  static func events() -> [SearchEvent] {
    var settings = SearchSettings()
    settings.generations = 5; settings.population = 3
    var started = SearchEvent(event: "started", time: 0)
    started.method = "evolution"; started.space = "nb201"; started.settings = settings; started.generation = 0
    let g0 = [("0|11|222", 1e6, 0.50), ("0|33|444", 3e6, 0.70), ("0|33|333", 2e6, 0.40)]
    var out = [started]
    out += g0.map { candidate("scored", $0.0, generation: 0, flops: $0.1, score: $0.2) }
    out += g0.map { candidate("candidate", $0.0, generation: 0, flops: $0.1, score: $0.2) }
    var gen = SearchEvent(event: "generation", time: 10)
    gen.generation = 0; gen.evaluated = 3; gen.bestScore = 0.70; gen.seconds = 10
    out.append(gen)
    out.append(candidate("scored", "3|33|333", generation: 1, flops: 2.5e6, score: 0.80))
    return out
  }

  func ui(_ options: UIOptions = UIOptions()) -> MonitorUI {
    var ui = MonitorUI(options: options)
    for e in Self.events() { ui.apply(.search(e), now: 0) }
    return ui
  }

  func testFoldKeepsEachCodeOnceAndFindsTheFront() throws {
    let s = try XCTUnwrap(ui().model.search)
    XCTAssertEqual(s.points.count, 4, "a scored line and its candidate line are one point")
    XCTAssertEqual(s.completedGenerations, 1)
    XCTAssertEqual(s.currentGeneration, 1)
    XCTAssertEqual(s.best(2).map(\.arch), ["3|33|333", "0|33|444"])
    // (1 M, 0.5) and (2.5 M, 0.8) dominate the rest: (2 M, 0.4) loses to (1 M, 0.5), (3 M, 0.7) to (2.5 M, 0.8).
    XCTAssertEqual(s.front.map(\.arch), ["0|11|222", "3|33|333"])
    XCTAssertEqual(try XCTUnwrap(s.eta), 40, accuracy: 1e-9, "4 generations left at 10 s each")
    XCTAssertFalse(ui().model.isOver)
  }

  func testScreenShowsScatterTableGenerationsAndStatus() {
    let buf = Fixture.render(ui(), width: 100, height: 30)
    let text = buf.renderText()
    for needle in ["Pareto: MFLOPs → accuracy", "Best so far", "Generations", "3|33|333", "80.00", "front 2 of 4"] {
      XCTAssertTrue(text.contains(needle), "\(needle) missing:\n\(text)")
    }
    let status = buf.row(29)
    XCTAssertTrue(status.contains("search evolution") && status.contains("gen 1/5") && status.contains("4 evaluated")
                  && status.contains("best 80.00"), status)
    // The newest generation's point is marked in the accent colour, the front in the "good" one.
    var accent = 0, good = 0
    for y in 0..<buf.height { for x in 0..<buf.width {
      if buf[x, y].char == "◆" && buf[x, y].style.fg == .role(.accent) { accent += 1 }
      if buf[x, y].char == "●" && buf[x, y].style.fg == .role(.good) { good += 1 }
    } }
    XCTAssertGreaterThanOrEqual(accent, 1, text)
    XCTAssertGreaterThanOrEqual(good, 2, text)
    // Plain ASCII and a terminal below the minimum size.
    let ascii = Fixture.render(ui(UIOptions(ascii: true)), width: 80, height: 24).renderText()
    XCTAssertTrue(ascii.unicodeScalars.allSatisfy { $0.isASCII }, ascii)
    XCTAssertTrue(ascii.contains("Best so far"), ascii)
    XCTAssertTrue(Fixture.render(ui(), width: 40, height: 10).renderText().contains("terminal too small"))
  }

  func testKeysPauseStopAndDetach() {
    var live = ui()
    XCTAssertEqual(live.handle(.char("p"), now: 0, screen: screen).commands, [.pause])
    var paused = SearchEvent(event: "paused", time: 1)
    paused.paused = true
    live.apply(.search(paused), now: 1)
    XCTAssertTrue(live.model.paused)
    XCTAssertNil(live.view.pendingPause, "confirmed")
    XCTAssertTrue(Fixture.render(live, width: 100, height: 30).row(29).contains("PAUSED"))
    XCTAssertEqual(live.handle(.char("g"), now: 1, screen: screen).commands, [], "no proxy to switch")
    let quit = live.handle(.char("q"), now: 2, screen: screen)
    XCTAssertEqual(quit.commands, [.stop(save: true)])
    XCTAssertTrue(quit.exit, "the state is saved after every candidate: nothing to ask")
    var finished = SearchEvent(event: "finished", time: 3)
    finished.stopped = true
    live.apply(.search(finished), now: 3)
    XCTAssertTrue(live.model.isOver)
    XCTAssertTrue(Fixture.render(live, width: 100, height: 30, now: 3).row(29).contains("STOPPED"))

    var attached = ui(UIOptions(quitBehaviour: .detach))
    let detach = attached.handle(.char("q"), now: 0, screen: screen)
    XCTAssertEqual(detach.commands, [], "an attached monitor leaves the search running")
    XCTAssertTrue(detach.exit)
  }

  /// A search's events.jsonl line decodes as `.search`; the training lines are unaffected.
  func testSearchLinesDecode() throws {
    let e = Self.events()[1]
    let line = EventCoding.line(.search(e))
    XCTAssertFalse(line.contains("\"type\""), line)
    guard case .search(let back)? = EventCoding.decode(Substring(line)) else { return XCTFail(line) }
    XCTAssertEqual(back, e)
    XCTAssertNil(EventCoding.decode("{\"event\": 3}"))
  }
}
