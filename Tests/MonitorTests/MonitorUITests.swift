import XCTest
import RunEvents
@testable import Monitor

final class MonitorUITests: XCTestCase {
  let screen = (width: 100, height: 30)

  func testPauseResumeSendsCommandsAndTracksConfirmation() {
    var ui = Fixture.busyUI()
    XCTAssertEqual(ui.handle(.char("p"), now: 1, screen: screen).commands, [.pause])
    XCTAssertEqual(ui.view.pendingPause, true)
    XCTAssertTrue(Fixture.render(ui, width: 100, height: 30, now: 1).row(29).contains("PAUSING"))
    ui.apply(.paused(PauseRecord(step: 60, paused: true)), now: 2)
    XCTAssertNil(ui.view.pendingPause)
    XCTAssertTrue(Fixture.render(ui, width: 100, height: 30, now: 2).row(29).contains("PAUSED"))
    XCTAssertEqual(ui.handle(.char(" "), now: 3, screen: screen).commands, [.resume])
  }

  func testProxyCyclesForwardAndBackward() {
    var ui = Fixture.busyUI()  // proxies flops, params, zen; current flops
    XCTAssertEqual(ui.handle(.char("g"), now: 0, screen: screen).commands, [.setProxy("params")])
    XCTAssertEqual(ui.handle(.char("g"), now: 0, screen: screen).commands, [.setProxy("zen")], "from the pending one")
    ui.apply(.commandApplied(CommandRecord(step: 61, command: .setProxy("zen"), detail: "guidance proxy is now zen")), now: 0)
    XCTAssertNil(ui.view.pendingProxy)
    XCTAssertEqual(ui.handle(.char("g"), now: 0, screen: screen).commands, [.setProxy("flops")], "wraps")
    var back = Fixture.busyUI()
    XCTAssertEqual(back.handle(.char("G"), now: 0, screen: screen).commands, [.setProxy("zen")])
    var off = MonitorUI()
    off.apply(Fixture.run(proxy: nil, proxies: []), now: 0)
    XCTAssertEqual(off.handle(.char("g"), now: 0, screen: screen).commands, [])
    XCTAssertTrue(off.view.flash?.text.contains("no guidance proxies") ?? false)
  }

  func testCheckpointRequestAndConfirmationMessage() {
    var ui = Fixture.busyUI()
    XCTAssertEqual(ui.handle(.char("S"), now: 0, screen: screen).commands, [.checkpoint])
    ui.apply(.checkpoint(CheckpointRecord(step: 60, path: "runs/r/ckpt-60.safetensors", reason: "command", time: 0)), now: 1)
    let bar = Fixture.render(ui, width: 160, height: 40, now: 2).row(39)
    XCTAssertTrue(bar.contains("checkpoint saved: runs/r/ckpt-60.safetensors"), bar)
    XCTAssertFalse(Fixture.render(ui, width: 160, height: 40, now: 100).row(39).contains("checkpoint saved"), "expires")
  }

  func testQuitAsksThenStopsWithSaveByDefaultAndWaitsForTheTrainer() {
    var ui = Fixture.busyUI()
    XCTAssertEqual(ui.handle(.char("q"), now: 0, screen: screen), KeyOutcome())
    XCTAssertEqual(ui.view.overlay, .quitPrompt)
    XCTAssertTrue(Fixture.render(ui, width: 80, height: 24).renderText().contains("save checkpoint before quitting? [Y/n]"))
    XCTAssertEqual(ui.handle(.char("p"), now: 0, screen: screen), KeyOutcome(), "stray keys ignored in the prompt")
    XCTAssertEqual(ui.handle(.enter, now: 10, screen: screen).commands, [.stop(save: true)])
    XCTAssertFalse(ui.shouldExit(now: 11))
    ui.apply(.finished(FinishRecord(step: 60, seconds: 1, stopped: true)), now: 12)
    XCTAssertTrue(ui.shouldExit(now: 12))

    var no = Fixture.busyUI()
    _ = no.handle(.char("Q"), now: 0, screen: screen)
    XCTAssertEqual(no.handle(.char("n"), now: 0, screen: screen).commands, [.stop(save: false)])
    XCTAssertTrue(no.shouldExit(now: no.options.quitGrace + 1), "gives up waiting after the grace period")

    // `l` leaves the trainer running only where it is a separate job (--ranks); elsewhere the prompt stays shut.
    var mine = Fixture.busyUI()
    _ = mine.handle(.char("q"), now: 0, screen: screen)
    XCTAssertEqual(mine.handle(.char("l"), now: 0, screen: screen), KeyOutcome())
    XCTAssertNil(mine.view.quittingSince)
    var job = Fixture.busyUI()
    job.options.canLeaveRunning = true
    _ = job.handle(.char("q"), now: 0, screen: screen)
    XCTAssertTrue(Fixture.render(job, width: 100, height: 24).renderText().contains("l: leave it running"))
    XCTAssertEqual(job.handle(.char("l"), now: 0, screen: screen), KeyOutcome(exit: true, leaveRunning: true))

    var cancel = Fixture.busyUI()
    _ = cancel.handle(.char("q"), now: 0, screen: screen)
    _ = cancel.handle(.escape, now: 0, screen: screen)
    XCTAssertEqual(cancel.view.overlay, .none)
    XCTAssertNil(cancel.view.quittingSince)

    var detached = MonitorUI(options: UIOptions(quitBehaviour: .detach))
    detached.apply(Fixture.run(), now: 0)
    XCTAssertEqual(detached.handle(.char("q"), now: 0, screen: screen), KeyOutcome(exit: true))
  }

  func testFocusAndMaximise() {
    var ui = Fixture.busyUI()
    _ = ui.handle(.tab, now: 0, screen: screen)
    XCTAssertEqual(ui.view.focus, .subnets)
    _ = ui.handle(.backTab, now: 0, screen: screen)
    _ = ui.handle(.backTab, now: 0, screen: screen)
    XCTAssertEqual(ui.view.focus, .tau)
    _ = ui.handle(.char("3"), now: 0, screen: screen)
    XCTAssertEqual(ui.view.maximised, .pairs)
    XCTAssertEqual(ui.view.focus, .pairs)
    let text = Fixture.render(ui, width: 100, height: 30).renderText()
    XCTAssertTrue(text.contains("3 Rank-loss pairs"))
    XCTAssertFalse(text.contains("Loss curves"))
    _ = ui.handle(.char("3"), now: 0, screen: screen)
    XCTAssertNil(ui.view.maximised, "same key restores")
    _ = ui.handle(.char("1"), now: 0, screen: screen)
    _ = ui.handle(.escape, now: 0, screen: screen)
    XCTAssertNil(ui.view.maximised, "Esc restores too")
  }

  func testScrollingTheFocusedList() {
    var ui = Fixture.busyUI()
    _ = ui.handle(.char("2"), now: 0, screen: screen)
    _ = ui.handle(.down, now: 0, screen: screen)
    _ = ui.handle(.char("j"), now: 0, screen: screen)
    XCTAssertEqual(ui.view.scrollOffset(.subnets), 2)
    let text = Fixture.render(ui, width: 100, height: 30).renderText()
    XCTAssertTrue(text.contains("3–"), "scroll marker shows the first visible row\n\(text)")
    _ = ui.handle(.end, now: 0, screen: screen)
    let count = ui.model.samples.count
    XCTAssertGreaterThan(ui.view.scrollOffset(.subnets), 0)
    XCTAssertLessThan(ui.view.scrollOffset(.subnets), count)
    _ = ui.handle(.home, now: 0, screen: screen)
    XCTAssertEqual(ui.view.scrollOffset(.subnets), 0)
    _ = ui.handle(.up, now: 0, screen: screen)
    XCTAssertEqual(ui.view.scrollOffset(.subnets), 0, "clamped at the newest")
  }

  func testChartTogglesShowInTheTitle() {
    var ui = Fixture.busyUI()
    for k: Character in ["l", "]", "]", "e", "x", "o"] { _ = ui.handle(.char(k), now: 0, screen: screen) }
    XCTAssertTrue(ui.view.logY)
    XCTAssertEqual(ui.view.smoothing, 0.8)
    XCTAssertEqual(ui.view.landmarkOrder, .groundTruth)
    let b = Fixture.render(ui, width: 160, height: 40)
    XCTAssertTrue(b.row(0).contains("ema 0.8 · log · no env · epochs"), b.row(0))
    let landmarksTop = Layout.compute(width: 160, height: 40).panes[.landmarks]!.y
    XCTAssertTrue(b.row(landmarksTop).contains("by GT"), b.row(landmarksTop))
    _ = ui.handle(.char("["), now: 0, screen: screen)
    _ = ui.handle(.char("["), now: 0, screen: screen)
    _ = ui.handle(.char("["), now: 0, screen: screen)
    XCTAssertEqual(ui.view.smoothing, 0)
  }

  func testFailureBannerAndFinishedState() {
    var ui = Fixture.busyUI()
    ui.apply(.failed(FailureRecord(step: 61, message: "loss became NaN")), now: 0)
    let text = Fixture.render(ui, width: 100, height: 30).renderText()
    XCTAssertTrue(text.contains("training failed at step 61: loss became NaN"))
    XCTAssertTrue(text.contains("FAILED"))
    XCTAssertEqual(ui.handle(.char("p"), now: 0, screen: screen).commands, [], "no commands to a dead trainer")
    XCTAssertEqual(ui.handle(.char("q"), now: 0, screen: screen), KeyOutcome(exit: true), "nothing to save: quit at once")
  }

  func testThemesAndSizesRenderWithoutGaps() throws {
    let names = ThemeLoader.available(in: [Fixture.themesDir])
    XCTAssertGreaterThanOrEqual(names.count, 4)
    for name in names {
      let theme = try ThemeLoader.load(name: name, searchPath: [Fixture.themesDir])
      for (w, h) in [(80, 24), (100, 30), (160, 50), (60, 16)] {
        let b = Fixture.render(Fixture.busyUI(), width: w, height: h, theme: theme)
        XCTAssertTrue(b.row(h - 1).contains("RUNNING"), "\(name) \(w)×\(h)")
        for y in 0..<h - 1 { XCTAssertFalse(b.row(y).isEmpty, "\(name) \(w)×\(h) row \(y) blank") }
      }
    }
  }
}

final class MonitorUIHousekeepingTests: XCTestCase {
  func testUnconfirmedRequestsExpire() {
    var ui = Fixture.busyUI()
    _ = ui.handle(.char("p"), now: 100, screen: (100, 30))
    ui.tick(now: 105)
    XCTAssertEqual(ui.view.pendingPause, true)
    ui.tick(now: 100 + ui.options.confirmTimeout)
    XCTAssertNil(ui.view.pendingPause)
    XCTAssertTrue(ui.view.flash?.text.contains("did not confirm") ?? false)
    XCTAssertFalse(Fixture.render(ui, width: 100, height: 30, now: 120).row(29).contains("PAUSING"))
  }
}
