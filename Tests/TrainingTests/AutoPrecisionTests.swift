import XCTest
import Foundation
import Engine
import RunEvents
@testable import Training

/// `--precision auto`: the choice from measured times, the hardware gate, the per-CPU cache (round trip,
/// corruption, XDG location) and the choice's record on the run's `started` event.
final class AutoPrecisionTests: XCTestCase {
  var dir = ""
  let key = PrecisionCache.Key(cpu: "Test CPU isa=0x1", network: "nb201 C=4 N=1 batch=32", threads: 1)

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-precision-\(UUID().uuidString)").path
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func testChoiceFromMeasuredTimes() {
    XCTAssertEqual(AutoPrecision.choose(fp32: 40, bf16: 20), .bf16)
    XCTAssertEqual(AutoPrecision.choose(fp32: 40, bf16: 36), .bf16, "exactly the 10 % margin")
    XCTAssertEqual(AutoPrecision.choose(fp32: 40, bf16: 38), .fp32, "faster, but within the noise margin")
    XCTAssertEqual(AutoPrecision.choose(fp32: 40, bf16: 40), .fp32, "equal: the exact precision")
    XCTAssertEqual(AutoPrecision.choose(fp32: 29, bf16: 50), .fp32, "the Xeon without AMX")
    XCTAssertEqual(AutoPrecision.choose(fp32: 40, bf16: .nan), .fp32)
  }

  /// A fake pass: fixed times per precision, counting calls.
  final class FakePasses {
    var calls: [Precision] = []
    let fp32: Double, bf16: Double
    init(fp32: Double, bf16: Double) { self.fp32 = fp32; self.bf16 = bf16 }
    func pass(_ p: Precision) -> Double { calls.append(p); return p == .fp32 ? fp32 : bf16 }
  }

  func testNoNativeBF16MeansFP32WithoutMeasuring() {
    let fake = FakePasses(fp32: 40, bf16: 10)
    let auto = AutoPrecision(hardware: false, cache: PrecisionCache(path: dir + "/p.json"))
    let d = auto.decide(key: key, pass: fake.pass)
    XCTAssertEqual(d.precision, .fp32)
    XCTAssertTrue(d.reason.contains("no native bf16"), d.reason)
    XCTAssertEqual(fake.calls, [], "nothing is measured")
    XCTAssertNil(d.fp32Milliseconds)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/p.json"))
  }

  struct FakeWorkload: PrecisionWorkload {
    let network = "fake workload"
    let passes: FakePasses
    func pass(_ p: Precision) -> Double { passes.pass(p) }
  }

  /// `decide(threads:workload:)` builds the workload (a probe supernet, in `train`) only when it will measure it.
  func testTheWorkloadIsBuiltOnlyWhereThereIsSomethingToMeasure() throws {
    var built = 0
    let fake = FakePasses(fp32: 40, bf16: 20)
    let build = { () -> FakeWorkload in built += 1; return FakeWorkload(passes: fake) }
    let without = try AutoPrecision(hardware: false, cache: PrecisionCache(path: dir + "/p.json")).decide(threads: 1, workload: build)
    XCTAssertEqual(without.precision, .fp32)
    XCTAssertTrue(without.reason.contains("no native bf16"), without.reason)
    XCTAssertEqual(built, 0, "no workload built without native bf16")
    let cache = PrecisionCache(path: dir + "/q.json")
    let with = try AutoPrecision(hardware: true, cache: cache, repeats: 1).decide(threads: 3, workload: build)
    XCTAssertEqual(built, 1)
    XCTAssertEqual(with.precision, .bf16)
    XCTAssertEqual(fake.calls.count, 4)
    XCTAssertEqual(cache.lookup(PrecisionCache.Key(cpu: CPUIdentity.current, network: "fake workload", threads: 3))?.bf16Milliseconds, 20,
                   "cached under this CPU, the workload's name and the threads")
  }

  func testMeasuresAlternatingKeepsMinimumAndCaches() throws {
    let cache = PrecisionCache(path: dir + "/sub/precision.json")
    let fake = FakePasses(fp32: 40, bf16: 20)
    let auto = AutoPrecision(hardware: true, cache: cache, repeats: 3)
    let d = auto.decide(key: key, pass: fake.pass)
    XCTAssertEqual(d.precision, .bf16)
    XCTAssertEqual(d.fp32Milliseconds, 40); XCTAssertEqual(d.bf16Milliseconds, 20)
    XCTAssertEqual(fake.calls, [.fp32, .bf16, .fp32, .bf16, .fp32, .bf16, .fp32, .bf16], "warm-up, then 3 alternating")
    XCTAssertTrue(d.reason.hasPrefix("auto: bf16 is faster"), d.reason)
    XCTAssertEqual(cache.lookup(key)?.fp32Milliseconds, 40)

    // The second run on this CPU reads the cache and measures nothing.
    let again = FakePasses(fp32: 1, bf16: 100)
    let cached = auto.decide(key: key, pass: again.pass)
    XCTAssertEqual(again.calls, [])
    XCTAssertEqual(cached.precision, .bf16)
    XCTAssertTrue(cached.reason.contains("cached"), cached.reason)
    // Another thread count is another entry.
    var other = key; other.threads = 2
    let slower = FakePasses(fp32: 30, bf16: 50)
    XCTAssertEqual(auto.decide(key: other, pass: slower.pass).precision, .fp32)
    XCTAssertEqual(slower.calls.count, 8)
    XCTAssertEqual(cache.lookup(key)?.bf16Milliseconds, 20, "the first entry survives the second write")
    XCTAssertEqual(cache.lookup(other)?.bf16Milliseconds, 50)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir + "/sub").filter { $0.contains(".tmp") }
    XCTAssertEqual(leftovers, [], "the atomic write leaves no temporary file")
  }

  func testCorruptCacheIsIgnoredWithANoteAndReplaced() throws {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/precision.json"
    try Data("{\"version\":1,\"entries\":{\"x\":".utf8).write(to: URL(fileURLWithPath: path))
    let notes = NoteLog()
    let auto = AutoPrecision(hardware: true, cache: PrecisionCache(path: path), repeats: 1, note: { notes.add($0) })
    let fake = FakePasses(fp32: 30, bf16: 50)
    XCTAssertEqual(auto.decide(key: key, pass: fake.pass).precision, .fp32)
    XCTAssertEqual(fake.calls.count, 4, "measured, since the cache could not be read")
    XCTAssertEqual(notes.lines.count, 1)
    XCTAssertTrue(notes.lines[0].contains("corrupt"), notes.lines[0])
    XCTAssertEqual(PrecisionCache(path: path).lookup(key)?.fp32Milliseconds, 30, "rewritten as a valid file")
  }

  func testUnwritableCacheIsANoteNotAFailure() throws {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try Data().write(to: URL(fileURLWithPath: dir + "/file"))  // a file where the cache folder should be
    let notes = NoteLog()
    let auto = AutoPrecision(hardware: true, cache: PrecisionCache(path: dir + "/file/rdnas/precision.json"), repeats: 1,
                             note: { notes.add($0) })
    XCTAssertEqual(auto.decide(key: key, pass: FakePasses(fp32: 40, bf16: 10).pass).precision, .bf16)
    XCTAssertEqual(notes.lines.count, 1)
    XCTAssertTrue(notes.lines[0].contains("not written"), notes.lines[0])
  }

  func testCacheLocationHonoursXDG() {
    XCTAssertEqual(PrecisionCache.defaultPath(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"]),
                   "/x/cache/rdnas/precision.json")
    XCTAssertEqual(PrecisionCache.defaultPath(environment: ["HOME": "/home/u"]), "/home/u/.cache/rdnas/precision.json")
    XCTAssertEqual(PrecisionCache.defaultPath(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/home/u"]),
                   "/home/u/.cache/rdnas/precision.json", "the XDG spec says relative paths are ignored")
  }

  func testFixedPrecisionFallsBackWithoutHardware() {
    XCTAssertEqual(PrecisionDecision.fixed(.bf16, hardware: false).precision, .fp32)
    XCTAssertEqual(PrecisionDecision.fixed(.bf16, hardware: true), PrecisionDecision(precision: .bf16, reason: "--precision bf16"))
    XCTAssertEqual(PrecisionDecision.fixed(.fp32, hardware: false).precision, .fp32)
  }

  func testStartedEventCarriesThePrecisionAndOldLinesStillDecode() throws {
    let info = RunInfo(name: "r", space: "nb201", strategy: "spos", proxy: nil, proxies: [], epochs: 1, stepsPerEpoch: 2,
                       batchSize: 32, dataset: "fashion-mnist", startStep: 0, time: 1, precision: "bf16",
                       precisionReason: "auto: bf16 is faster", precisionFP32Milliseconds: 40, precisionBF16Milliseconds: 20)
    let line = EventCoding.line(.started(info))
    XCTAssertTrue(line.contains("\"precision\":\"bf16\""), line)
    XCTAssertTrue(line.contains("\"precision_reason\":\"auto: bf16 is faster\""), line)
    XCTAssertTrue(line.contains("\"precision_fp32_ms\":40"), line)
    guard case .started(let back)? = EventCoding.decode(Substring(line)) else { return XCTFail(line) }
    XCTAssertEqual(back, info)
    let old = #"{"type":"started","schema":2,"name":"r","space":"nb201","strategy":"spos","proxies":[],"epochs":1,"#
      + #""steps_per_epoch":2,"batch_size":32,"dataset":"fashion-mnist","start_step":0,"time_unix":1}"#
    guard case .started(let o)? = EventCoding.decode(Substring(old)) else { return XCTFail("an older started line no longer decodes") }
    XCTAssertNil(o.precision); XCTAssertNil(o.precisionReason)
  }

  /// The trainer measures its own largest path (rank 0), records the choice on `started`, and stores it in
  /// the run's config so a resume keeps it. On a CPU without native bf16 (an AVX2-only EPYC) nothing can be
  /// measured in bf16 (oneDNN has no bf16 convolution there): the choice is fp32 with that reason.
  func testTrainerRecordsTheAutoChoice() throws {
    guard FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist") else { throw XCTSkip("no Fashion-MNIST") }
    DNNL.setThreads(1)
    var c = TrainingConfig()
    c.name = "auto"; c.runsDirectory = dir; c.space = "nb201"; c.seed = 7
    c.nb201.C = 4; c.nb201.N = 1
    c.dataset = "fashion-mnist"; c.validationSize = 200; c.trainLimit = 64
    c.batchSize = 32; c.epochs = 1; c.strategy = .spos; c.pathsPerStep = 1; c.threads = 1
    let cache = PrecisionCache(path: dir + "/cache/precision.json")
    let hardware = Precision.hardwareSupportsBF16
    let trainer = try Trainer(config: c, autoPrecision: AutoPrecision(hardware: hardware, cache: cache, repeats: 1),
                              openMPSettings: "OMP_WAIT_POLICY=passive (test)")
    let d = try XCTUnwrap(trainer.context.precisionDecision)
    XCTAssertEqual(trainer.context.precision, d.precision)
    XCTAssertEqual(trainer.config.precision, d.precision)
    let key = PrecisionCache.Key(cpu: CPUIdentity.current,
      network: "nb201 C=4 N=1 largest \(try c.makeSpace().format(try c.makeSpace().largest)) batch=32 input=1x28x28", threads: 1)
    var fp32: Double?
    if hardware {
      let measuredFP32 = try XCTUnwrap(d.fp32Milliseconds), bf16 = try XCTUnwrap(d.bf16Milliseconds)
      XCTAssertGreaterThan(measuredFP32, 0); XCTAssertGreaterThan(bf16, 0)
      XCTAssertEqual(d.precision, AutoPrecision.choose(fp32: measuredFP32, bf16: bf16))
      XCTAssertEqual(try XCTUnwrap(cache.lookup(key)).fp32Milliseconds, measuredFP32)
      fp32 = measuredFP32
    } else {
      XCTAssertEqual(d.precision, .fp32)
      XCTAssertTrue(d.reason.contains("no native bf16"), d.reason)
      XCTAssertNil(d.fp32Milliseconds)
      XCTAssertNil(cache.lookup(key), "nothing measured, nothing cached")
    }
    var started: RunInfo?
    trainer.addSink { if case .started(let r) = $0 { started = r } }
    try trainer.run()
    XCTAssertEqual(started?.precision, d.precision.rawValue)
    XCTAssertEqual(started?.precisionReason, d.reason)
    XCTAssertEqual(started?.precisionFP32Milliseconds, fp32)
    // The front end's OpenMP settings travel in the run context to the started event, with the threads.
    XCTAssertEqual(started?.openMP, "OMP_WAIT_POLICY=passive (test)")
    XCTAssertEqual(started?.threads, 1)
  }
}

final class NoteLog: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [String] = []
  var lines: [String] { lock.withLock { stored } }
  func add(_ s: String) { lock.withLock { stored.append(s) } }
}
