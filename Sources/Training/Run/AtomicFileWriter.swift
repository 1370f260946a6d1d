import Foundation
import Engine

/// Whole-file atomic writes (temp + fsync + rename) for run files; the engine's writer does the work.
public enum AtomicFileWriter {
  public static func write(_ data: Data, to path: String) throws { try AtomicFile.write(data, to: path) }
}
