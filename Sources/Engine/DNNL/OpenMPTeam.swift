import CDNNL

/// Work split over libgomp's team: the threads oneDNN's primitives run on. A Swift kernel that used its own
/// threads (Dispatch) would wake a second pool while the team's workers still spin after the last primitive,
/// and two busy threads per core cost more than the split saves on these 2-core machines.
enum OpenMPTeam {
  private struct Context { let body: (Int, Int) -> Void }

  /// Calls `body(part, parts)` once per thread of a team of (at most) `threads`, the caller included; `parts`
  /// is the team's real size, which libgomp may make smaller than asked. One thread: called inline.
  static func run(threads: Int, _ body: (Int, Int) -> Void) {
    guard threads > 1 else { body(0, 1); return }
    withoutActuallyEscaping(body) { escaping in
      var context = Context(body: escaping)
      withUnsafeMutablePointer(to: &context) { pointer in
        GOMP_parallel({ raw in
          let context = raw!.assumingMemoryBound(to: Context.self)
          context.pointee.body(Int(omp_get_thread_num()), Int(omp_get_num_threads()))
        }, pointer, UInt32(threads), 0)
      }
    }
  }

  /// `0..<count` cut into `parts` contiguous ranges of near-equal size; range `part` of them.
  static func slice(_ count: Int, part: Int, parts: Int) -> Range<Int> {
    (count * part / parts)..<(count * (part + 1) / parts)
  }
}
