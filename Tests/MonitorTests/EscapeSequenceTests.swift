import XCTest
@testable import Monitor

/// Keys whose escape sequences the terminal's terminfo entry does not list (tmux sends Home as `ESC [1~` under
/// TERM=xterm-256color): decoded by the backend, never leaked byte by byte into the key map.
final class EscapeSequenceTests: XCTestCase {
  func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

  func testHomeEndPagesArrowsInEverySpelling() {
    for s in ["[H", "OH", "[1~", "[7~"] { XCTAssertEqual(CursesBackend.decodeEscape(bytes(s)), .home, s) }
    for s in ["[F", "OF", "[4~", "[8~"] { XCTAssertEqual(CursesBackend.decodeEscape(bytes(s)), .end, s) }
    XCTAssertEqual(CursesBackend.decodeEscape(bytes("[5~")), .pageUp)
    XCTAssertEqual(CursesBackend.decodeEscape(bytes("[6~")), .pageDown)
    XCTAssertEqual(CursesBackend.decodeEscape(bytes("OA")), .up)
    XCTAssertEqual(CursesBackend.decodeEscape(bytes("[D")), .left)
    XCTAssertEqual(CursesBackend.decodeEscape(bytes("[Z")), .backTab)
  }

  func testLoneEscIsEscapeAndUnknownSequencesAreDroppedWhole() {
    XCTAssertEqual(CursesBackend.decodeEscape([]), .escape)
    XCTAssertNil(CursesBackend.decodeEscape(bytes("[2~")), "Insert: no binding, and no stray '2'")
    XCTAssertNil(CursesBackend.decodeEscape(bytes("[1;5C")), "Ctrl-Right")
    XCTAssertNil(CursesBackend.decodeEscape(bytes("[x")), "an unknown final byte")
  }

  func testSequenceBoundaries() {
    XCTAssertTrue(CursesBackend.escapeSequenceContinues([]))
    XCTAssertTrue(CursesBackend.escapeSequenceContinues(bytes("[")))
    XCTAssertTrue(CursesBackend.escapeSequenceContinues(bytes("[1")))
    XCTAssertTrue(CursesBackend.escapeSequenceContinues(bytes("[1;5")))
    XCTAssertFalse(CursesBackend.escapeSequenceContinues(bytes("[1~")))
    XCTAssertFalse(CursesBackend.escapeSequenceContinues(bytes("[A")))
    XCTAssertTrue(CursesBackend.escapeSequenceContinues(bytes("O")))
    XCTAssertFalse(CursesBackend.escapeSequenceContinues(bytes("OH")))
    XCTAssertFalse(CursesBackend.escapeSequenceContinues(bytes("x")))
  }
}
