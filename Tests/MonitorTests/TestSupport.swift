import Foundation
import RunEvents
@testable import Monitor

/// Shared fixtures: a scripted run and helpers to look at rendered screens.
enum Fixture {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let themesDir = repoRoot.appendingPathComponent("themes").path

  static func run(proxy: String? = "flops", proxies: [String] = ["flops", "params", "zen"], epochs: Int = 10,
                  stepsPerEpoch: Int = 100, startStep: Int = 0) -> TrainerEvent {
    .started(RunInfo(name: "test-run", space: "resnet", strategy: "sandwich", proxy: proxy, proxies: proxies,
                     epochs: epochs, stepsPerEpoch: stepsPerEpoch, batchSize: 64, dataset: "fmnist",
                     startStep: startStep, time: 1_700_000_000))
  }

  static func step(_ n: Int, loss: Double = 1.0, elapsed: Double? = nil, epoch: Int = 0) -> TrainerEvent {
    .step(StepRecord(step: n, epoch: epoch, lr: 0.1, loss: loss,
                     paths: [PathRecord(role: "largest", arch: "1555" + String(repeating: "1", count: 48), loss: loss / 2, flops: 4e7),
                             PathRecord(role: "smallest", arch: "1222" + String(repeating: "7", count: 48), loss: loss / 4, flops: 4e5),
                             PathRecord(role: "random", arch: "1333" + String(repeating: "4", count: 48), loss: loss / 4, flops: 9e6)],
                     rankLoss: 0.01, lambda: 0.5, gradNorm: 1, imagesPerSecond: 400, elapsed: elapsed ?? Double(n)))
  }

  static func pair(_ n: Int, concordant: Bool) -> TrainerEvent {
    .rankPair(RankPairRecord(step: n, a: "x", b: "y", priorA: 2e6, priorB: 1e6, lossA: concordant ? 0.4 : 0.6,
                             lossB: 0.5, hinge: concordant ? 0 : 0.1, lambda: 0.5, proxy: "flops", distance: 3,
                             concordant: concordant))
  }

  /// A UI that has seen a little of everything.
  static func busyUI(ascii: Bool = false, steps: Int = 60) -> MonitorUI {
    var ui = MonitorUI(options: UIOptions(ascii: ascii))
    ui.apply(run(), now: 0)
    ui.apply(.landmarks(LandmarkSet(archs: ["1111", "1112", "1122", "2222"], groundTruth: [0.9, 0.8, 0.7, 0.6],
                                    prior: [4, 3, 2, 1], proxy: "flops")), now: 0)
    for i in 1...steps {
      ui.apply(step(i, loss: 3 - Double(i) / 40), now: 0)
      ui.apply(pair(i, concordant: i % 3 != 0), now: 0)
      if i % 20 == 0 {
        ui.apply(.evaluation(EvaluationRecord(step: i, epoch: 0, accuracies: [0.5, 0.4, 0.3, 0.2],
                                              tauGroundTruth: Double(i) / 100, tauProxy: 0.3, tauPrevious: 0.9)), now: 0)
      }
    }
    return ui
  }

  static func render(_ ui: MonitorUI, width: Int, height: Int, theme: Theme = .fallback, now: Double = 0) -> ScreenBuffer {
    var buf = ScreenBuffer(width: width, height: height)
    ui.render(into: &buf, theme: theme, now: now)
    return buf
  }

  static func tempDir() -> URL {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-tests-" + UUID().uuidString)
    try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
  }
}
