import XCTest
import Foundation
import Common
@testable import Engine

final class SafeTensorsTests: XCTestCase {
  func tempPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-st-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir.appendingPathComponent(name).path
  }

  func testRoundTripWithMetadata() throws {
    let path = tempPath("a.safetensors")
    let a = SafeTensors.Entry(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
    let b = SafeTensors.Entry(shape: [1], values: [-0.5])
    try SafeTensors.write([("layer.weight", a), ("layer.bias", b)], metadata: ["step": "7"], path: path)
    let (t, m) = try SafeTensors.read(path: path)
    XCTAssertEqual(t["layer.weight"], a)
    XCTAssertEqual(t["layer.bias"], b)
    XCTAssertEqual(m["step"], "7")
    // Layout: 8-byte length, header padded to a multiple of 8, then 28 bytes of data.
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let n = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    XCTAssertEqual(n % 8, 0)
    XCTAssertEqual(data.count, 8 + Int(n) + 28)
  }

  func testTruncatedAndForeignFilesAreRejected() throws {
    let path = tempPath("b.safetensors")
    try SafeTensors.write([("w", .init(shape: [4], values: [1, 2, 3, 4]))], metadata: [:], path: path)
    let full = try Data(contentsOf: URL(fileURLWithPath: path))
    for cut in [0, 5, 8, 20, full.count - 1] {
      XCTAssertThrowsError(try SafeTensors.decode(full.prefix(cut), path: "x")) { e in
        XCTAssertTrue("\(e)".contains("not a valid safetensors"), "\(e)")
      }
    }
    XCTAssertThrowsError(try SafeTensors.decode(Data("hello world, not a checkpoint".utf8), path: "x"))
    XCTAssertThrowsError(try SafeTensors.read(path: tempPath("missing")))
  }

  func testAtomicWriteLeavesNoTempFiles() throws {
    let path = tempPath("c.bin")
    try AtomicFile.write(Data([1, 2, 3]), to: path)
    try AtomicFile.write(Data([4, 5]), to: path)
    XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data([4, 5]))
    let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["c.bin"])
  }

  /// PyTorch's safetensors loader reads our files (skipped when python3 lacks torch + safetensors).
  func testPythonSafetensorsReadsOurFile() throws {
    let path = tempPath("py.safetensors")
    try SafeTensors.write([("conv.weight", .init(shape: [2, 1, 1, 2], values: [1, 2, 3, 4]))],
                          metadata: ["format": "pt"], path: path)
    let script = """
    import sys
    try:
        from safetensors.torch import load_file
    except Exception:
        try:
            from safetensors.numpy import load_file
        except Exception:
            sys.exit(77)
    t = load_file(sys.argv[1])["conv.weight"]
    assert list(t.shape) == [2, 1, 1, 2], t.shape
    assert t.reshape(-1).tolist() == [1.0, 2.0, 3.0, 4.0], t
    """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script, path]
    try p.run()
    p.waitUntilExit()
    if p.terminationStatus == 77 { throw XCTSkip("python3 has no safetensors package") }
    XCTAssertEqual(p.terminationStatus, 0)
  }
}
