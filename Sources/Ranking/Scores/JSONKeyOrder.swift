import Foundation

/// The keys of a JSON document's top-level object, in the order they appear in the text.
///
/// Only run on text JSONSerialization has already accepted, so it need not validate: it tracks nesting
/// depth and string state, and a string that closes at depth 1 and is followed by ':' is a top-level key.
enum JSONKeyOrder {
  static func topLevelKeys(_ data: Data) -> [String] {
    let bytes = [UInt8](data)
    var keys = [String]()
    var seen = Set<String>()
    var depth = 0
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; index += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1; index += 1
      case UInt8(ascii: "\""):
        let start = index
        index += 1
        var escaped = false
        while index < bytes.count {
          if bytes[index] == UInt8(ascii: "\\") { escaped = true; index += 2; continue }
          if bytes[index] == UInt8(ascii: "\"") { break }
          index += 1
        }
        let end = min(index, bytes.count - 1)
        index += 1
        guard depth == 1, followedByColon(bytes, index) else { continue }
        let token = Array(bytes[start...end])
        let key = escaped ? decode(token) : String(decoding: token.dropFirst().dropLast(), as: UTF8.self)
        // A repeated key keeps its first position; JSONSerialization kept one value for it.
        if let key, seen.insert(key).inserted { keys.append(key) }
      default: index += 1
      }
    }
    return keys
  }

  private static func followedByColon(_ bytes: [UInt8], _ from: Int) -> Bool {
    var index = from
    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    return index < bytes.count && bytes[index] == UInt8(ascii: ":")
  }

  /// A key with escapes, decoded by JSONSerialization as a string fragment.
  private static func decode(_ token: [UInt8]) -> String? {
    (try? JSONSerialization.jsonObject(with: Data(token), options: .fragmentsAllowed)) as? String
  }
}
