import Foundation
import Common
import Search

/// Candidate architectures read from a competition-format JSON, parsed in a given space. NB201 entries may
/// hold benchmark strings, 6-digit op codes, or benchmark indices (with an index table).
public enum Candidates {
  public static func load(path: String, space: any SearchSpace,
                          nb201Index: NB201BenchmarkIndex? = nil) throws -> (table: ScoreTable, archs: [Encoding]) {
    let table = try ScoreTable.loadCompetitionJSON(path: path)
    guard table.count > 0 else { throw RDNASError.badFile(path: path, reason: "holds no candidates") }
    var archs: [Encoding] = []
    var seen: [Encoding: String] = [:]
    for e in table.entries {
      let arch: Encoding
      if let nb201Index, let i = Int(e.arch), e.arch.count != 6 {
        guard let a = nb201Index.encoding(at: i) else {
          throw RDNASError.badFile(path: path, reason: "\(e.key): benchmark index \(i) is out of range")
        }
        arch = a
      } else {
        do { arch = try space.parse(e.arch) } catch {
          throw RDNASError.badFile(path: path, reason: "\(e.key): '\(e.arch)' is not a \(space.name) architecture: \(error)")
        }
      }
      if let other = seen[arch] {
        throw RDNASError.badFile(path: path, reason: "\(e.key) and \(other) are the same architecture")
      }
      seen[arch] = e.key
      archs.append(arch)
    }
    return (table, archs)
  }
}
