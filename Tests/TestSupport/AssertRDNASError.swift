import Common
import XCTest

/// Which `RDNASError` case a test expects; `.any` accepts each.
public enum ExpectedRDNASError: Sendable {
  case badInput, badFile, failure, any
}

/// Asserts that `body` throws an `RDNASError` of the expected case whose description (the one line the CLI
/// prints) mentions every fragment; shared by every test target that checks error messages.
public func assertThrowsRDNASError<T>(
  _ kind: ExpectedRDNASError, mentions fragments: [String], file: StaticString = #filePath, line: UInt = #line,
  _ body: () throws -> T
) {
  do {
    _ = try body()
    XCTFail("expected an RDNASError (\(kind)) mentioning \(fragments)", file: file, line: line)
  } catch let error as RDNASError {
    switch (kind, error) {
    case (.any, _), (.badInput, .badInput), (.badFile, .badFile), (.failure, .failure): break
    default: XCTFail("expected \(kind), got \(error)", file: file, line: line)
    }
    let text = error.description
    for fragment in fragments where !text.contains(fragment) {
      XCTFail("'\(text)' does not mention '\(fragment)'", file: file, line: line)
    }
    XCTAssertFalse(text.contains("\n"), "error is not one line: \(text)", file: file, line: line)
  } catch {
    XCTFail("expected an RDNASError, got \(error)", file: file, line: line)
  }
}
