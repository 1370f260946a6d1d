import XCTest
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Drives the real `rdnas` binary in a real terminal: a tmux server on a private socket per test,
/// `send-keys` to type, `capture-pane` to read the screen.
final class TmuxSession {
  let socket: String
  let name = "t"

  init?(width: Int, height: Int, command: String, environment: [String: String] = [:]) {
    guard TmuxSession.available else { return nil }
    socket = "rdnas-test-\(UUID().uuidString.prefix(8))"
    // `swift test` runs tests with NO_COLOR=1, which the tmux server would pass on to every pane: start clean.
    let env = environment.map { "export \($0.key)=\($0.value); " }.joined()
    let wrapped = "unset NO_COLOR; \(env)\(command); echo EXIT=$?; sleep 120"
    // Not captured: the tmux server forked here inherits the pipe and would hold it open forever.
    _ = TmuxSession.run(["-L", socket, "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", wrapped],
                        capture: false)
  }

  static var available: Bool { run(["-V"]).status == 0 }

  /// Runs tmux through `system(3)`, which waits for exactly that child. (Foundation's `Process` did not
  /// return from `waitUntilExit` for `tmux new-session -d`, whose forked server lives on.)
  @discardableResult
  static func run(_ args: [String], capture: Bool = true) -> (status: Int32, output: String) {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).out").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let quoted = args.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
    let status = system("tmux \(quoted) > \(capture ? out : "/dev/null") 2>&1 < /dev/null")
    let text = capture ? ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "") : ""
    return (status == 0 ? 0 : 1, text)
  }

  func keys(_ k: String...) { TmuxSession.run(["-L", socket, "send-keys", "-t", name] + k) }

  func screen(colour: Bool = false) -> String {
    TmuxSession.run(["-L", socket, "capture-pane", "-p", "-t", name] + (colour ? ["-e"] : [])).output
  }

  func resize(_ w: Int, _ h: Int) { TmuxSession.run(["-L", socket, "resize-window", "-t", name, "-x", "\(w)", "-y", "\(h)"]) }

  /// Polls the screen until `predicate` holds (true) or the timeout passes (false).
  func waitFor(_ timeout: Double = 60, _ predicate: (String) -> Bool) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
      if predicate(screen()) { return true }
      Thread.sleep(forTimeInterval: 0.25)
    }
    return false
  }

  /// Copies everything the program writes to the pane into `file` (`tmux pipe-pane`) until `stopPipe`.
  func pipe(to file: String) { TmuxSession.run(["-L", socket, "pipe-pane", "-t", name, "-o", "cat > '\(file)'"]) }

  func stopPipe() { TmuxSession.run(["-L", socket, "pipe-pane", "-t", name]) }

  func close() { TmuxSession.run(["-L", socket, "kill-server"]) }
}

/// The `rdnas` executable next to the test bundle (SwiftPM builds it with the tests).
func rdnasBinary() throws -> String {
  let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  for candidate in [dir.appendingPathComponent("rdnas"), dir.deletingLastPathComponent().appendingPathComponent("rdnas")] {
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
  }
  throw XCTSkip("rdnas binary not found next to \(dir.path)")
}

/// Runs rdnas to completion with the given environment; returns exit status and stderr+stdout.
func runRDNAS(_ args: [String], environment: [String: String]? = nil, cwd: String? = nil) throws -> (Int32, String) {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: try rdnasBinary())
  p.arguments = args
  if let environment { p.environment = environment }
  if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
  let pipe = Pipe()
  p.standardOutput = pipe
  p.standardError = pipe
  try p.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The repository root (themes/ live there), from this file's location.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().path
