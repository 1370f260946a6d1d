/// The version of rdnas and the git commit it was built from, for `rdnas --version`, config.json and
/// checkpoints.
///
/// The commit is stamped at build time by `make` (tools/stamp-commit.sh writes the git-ignored
/// `BuildCommit.generated.swift` next to this file). A plain `swift build` without that file still compiles:
/// the protocol extension below supplies "unknown", and the generated file, when present, declares
/// `Build.commit` on the type itself, which takes precedence over a protocol extension's default.
public enum BuildInfo {
  public static let version = "0.1.0"
  /// Short commit hash (with "-dirty" when the tree had local changes), or "unknown".
  public static var commit: String { Build.commit }
  /// "0.1.0 (commit abc123def456)".
  public static var description: String { "\(version) (commit \(commit))" }
}

protocol BuildCommitStamp { static var commit: String { get } }
extension BuildCommitStamp { static var commit: String { "unknown" } }
enum Build: BuildCommitStamp {}
