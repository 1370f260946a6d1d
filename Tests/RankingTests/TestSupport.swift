import Common
import Foundation
import XCTest

@testable import Ranking

/// Random paired scores with a controllable amount of agreement and of ties.
func randomPairs(n: Int, seed: UInt64, tieLevels: Int? = nil) -> (x: [Double], y: [Double]) {
  var random = RandomSource(seed: seed)
  var x = [Double](), y = [Double]()
  for _ in 0..<n {
    let a = Double(random.nextGaussian())
    let b = 0.6 * a + 0.8 * Double(random.nextGaussian())
    if let levels = tieLevels {
      x.append((a * Double(levels) / 4).rounded()); y.append((b * Double(levels) / 4).rounded())
    } else {
      x.append(a); y.append(b)
    }
  }
  return (x, y)
}

/// A fresh temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-ranking-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
  return url
}

/// /work/shared seen from this file: `../shared` next to the repository root.
func sharedDataURL(_ relative: String, file: String = #filePath) -> URL {
  var root = URL(fileURLWithPath: file).resolvingSymlinksInPath()
  while root.pathComponents.count > 1 && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
    root.deleteLastPathComponent()
  }
  return root.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(relative)
}

/// NaN-aware closeness.
func XCTAssertClose(_ a: Double, _ b: Double, _ tolerance: Double, _ message: String = "",
                    file: StaticString = #filePath, line: UInt = #line) {
  if a.isNaN || b.isNaN {
    XCTAssertTrue(a.isNaN && b.isNaN, "\(a) vs \(b) \(message)", file: file, line: line)
  } else {
    XCTAssertEqual(a, b, accuracy: tolerance, message, file: file, line: line)
  }
}
