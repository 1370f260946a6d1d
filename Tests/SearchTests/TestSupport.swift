import Common
import XCTest

@testable import Search

/// `../shared` seen from the package root (found from this file's path), where the data sets live.
func sharedDataPath(_ relative: String) -> String {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<3 { url.deleteLastPathComponent() }  // SearchTests → Tests → package root
  return url.deletingLastPathComponent().appendingPathComponent("shared/data/\(relative)").path
}

/// Skips the test when a shared data file is absent (outside checkouts do not have ../shared).
func requireSharedFile(_ relative: String) throws -> String {
  let path = sharedDataPath(relative)
  guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("\(path) not present") }
  return path
}

/// Pearson χ² statistic of observed counts against equal expected frequencies.
func chiSquareUniform(_ counts: [Int]) -> Double {
  let total = Double(counts.reduce(0, +)), expected = total / Double(counts.count)
  return counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
}

/// χ² critical value at p = 0.001 for 1…7 degrees of freedom: a seeded uniform sampler passes it, a
/// sampler that is off by a few percent on 10^4 draws does not.
let chiSquareCritical001: [Int: Double] = [1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47, 5: 20.52, 6: 22.46, 7: 24.32]

/// A fresh temp directory, removed by the caller with `FileManager.default.removeItem`.
func makeTempDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-search-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

let competitionExample = "1252233313000000223212122253130000000000006515000000"

/// Hand-cost helpers (also keep the type checker away from long literal chains): the MACs of a bias-free
/// k×k conv whose output is `side`×`side`×`cout` from `cin` inputs, its weight count, and a BN's 2·numel.
func convMACs(side: Int, cin: Int, cout: Int, k: Int = 3) -> Double { Double(side * side * cout * k * k * cin) }
func convWeights(cin: Int, cout: Int, k: Int = 3) -> Int { k * k * cin * cout }
func bnFlops(side: Int, c: Int) -> Double { Double(2 * side * side * c) }
