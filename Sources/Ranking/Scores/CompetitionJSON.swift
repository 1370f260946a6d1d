import Common
import Foundation

/// The evaluator's score file: `{"arch1": {"acc": 0.0, "arch": "1252…"}, …}` (CVPR 2022 NAS Track 1 format).
///
/// Entry order is part of the format (the reference compares files in dict order), but JSONSerialization
/// returns an unordered dictionary. When every key is `arch<N>` the order is recovered by sorting on N, which
/// is how the competition numbers its files; otherwise the top-level keys are read in file order by
/// `JSONKeyOrder.topLevelKeys`.
extension ScoreTable {
  public static func loadCompetitionJSON(path: String) throws -> ScoreTable {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
      throw RDNASError.badFile(path: path, reason: "cannot read: \(error.localizedDescription)")
    }
    return try parseCompetitionJSON(data, source: path)
  }

  public static func parseCompetitionJSON(_ data: Data, source: String) throws -> ScoreTable {
    let object: Any
    do { object = try JSONSerialization.jsonObject(with: data) } catch {
      throw RDNASError.badFile(path: source, reason: "not valid JSON (\(oneLine(error)))")
    }
    guard let dictionary = object as? [String: Any] else {
      throw RDNASError.badFile(path: source, reason: "expected a JSON object of entries {\"arch1\": {\"acc\": …, \"arch\": …}, …}")
    }
    let order = numericArchOrder(Array(dictionary.keys)) ?? JSONKeyOrder.topLevelKeys(data)
    var entries = [ScoreEntry]()
    entries.reserveCapacity(order.count)
    for key in order {
      guard let value = dictionary[key] else { continue }
      entries.append(try entry(key: key, value: value, source: source))
    }
    return try ScoreTable(entries: entries, source: source)
  }

  /// The file text: one entry per line, in table order, `acc` as a JSON number, extras after `arch` by name.
  /// Throws on a non-finite score, which JSON cannot represent.
  public func competitionJSON() throws -> Data {
    var lines = [String]()
    lines.reserveCapacity(count)
    for entry in entries {
      guard entry.score.isFinite else {
        throw RDNASError.badInput("\(source): entry '\(entry.key)' has score \(entry.score), which JSON cannot hold")
      }
      var fields = ["\"acc\": \(entry.score)", "\"arch\": \(Self.jsonString(entry.arch))"]
      for name in entry.extras.keys.sorted() { fields.append("\(Self.jsonString(name)): \(entry.extras[name] ?? "null")") }
      lines.append("\(Self.jsonString(entry.key)): {\(fields.joined(separator: ", "))}")
    }
    return Data(("{\n" + lines.joined(separator: ",\n") + (lines.isEmpty ? "}\n" : "\n}\n")).utf8)
  }

  public func writeCompetitionJSON(path: String) throws {
    let data = try competitionJSON()
    do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
      throw RDNASError.badFile(path: path, reason: "cannot write: \(error.localizedDescription)")
    }
  }

  // MARK: - parts

  /// Keys sorted by N when all are `arch<N>`; nil otherwise. Compares digit strings by length then text,
  /// so no N overflows.
  static func numericArchOrder(_ keys: [String]) -> [String]? {
    var suffixes = [(key: String, digits: Substring)]()
    suffixes.reserveCapacity(keys.count)
    for key in keys {
      guard key.hasPrefix("arch") else { return nil }
      let digits = key.dropFirst(4)
      guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
      suffixes.append((key, digits.drop { $0 == "0" }))
    }
    suffixes.sort { a, b in
      a.digits.count != b.digits.count ? a.digits.count < b.digits.count
        : a.digits != b.digits ? a.digits < b.digits : a.key < b.key
    }
    return suffixes.map(\.key)
  }

  private static func entry(key: String, value: Any, source: String) throws -> ScoreEntry {
    func fail(_ reason: String) -> RDNASError { .badFile(path: source, reason: "entry '\(abbreviated(key))': \(reason)") }
    guard let fields = value as? [String: Any] else { throw fail("expected an object with \"acc\" and \"arch\"") }
    guard let accValue = fields["acc"] else { throw fail("missing \"acc\"") }
    guard let archValue = fields["arch"] else { throw fail("missing \"arch\"") }
    guard let number = accValue as? NSNumber, !isBoolean(number) else {
      throw fail("\"acc\" is not a number (\(jsonText(accValue)))")
    }
    guard let arch = archValue as? String else { throw fail("\"arch\" is not a string (\(jsonText(archValue)))") }
    var extras = [String: String]()
    for (name, extra) in fields where name != "acc" && name != "arch" { extras[name] = jsonText(extra) }
    return ScoreEntry(key: key, arch: arch, score: number.doubleValue, extras: extras)
  }

  /// JSONSerialization hands booleans back as NSNumbers; their Objective-C type code is "c".
  private static func isBoolean(_ number: NSNumber) -> Bool {
    String(cString: number.objCType) == "c"
  }

  static func jsonText(_ value: Any) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]),
          let text = String(data: data, encoding: .utf8) else { return "null" }
    return text
  }

  static func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  private static func oneLine(_ error: Error) -> String {
    let ns = error as NSError
    let detail = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    return detail.split(whereSeparator: \.isNewline).joined(separator: " ")
  }
}
