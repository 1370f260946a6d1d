import CDNNL
import Foundation

/// Convolution weights already reordered into a primitive's layout, shared by the tapes of one training step.
///
/// Every conv call reorders its weight slice `W[:cout, :cin]` from the fp32 OIHW master into the layout its
/// forward primitive chose, and again into the backward-data primitive's layout. In a sandwich step the same
/// slices of the same parameters are used by several paths (all of them share the stem and the largest
/// widths; rank pairs add more), on the same batch shape, so most of those reorders repeat work already done
/// in this step. A tape carrying a cache does each (parameter, slice, layout) reorder once.
///
/// Valid only while the weights do not change: the trainer makes one per step, before the first path, and
/// drops it before the optimiser updates the weights. It is opt-in per tape so that code mutating weights
/// between passes (SynFlow's sign flips, Zen's re-initialisation) never meets a stale copy. Not thread-safe:
/// one step's tapes run on one thread.
public final class WeightLayoutCache: @unchecked Sendable {
  enum Use: Hashable { case forward, backwardData }

  struct Key: Hashable {
    let parameter: ObjectIdentifier
    let conv: ConvPrimitives.Key
    let use: Use
  }

  private struct Entry {
    let buffer: UnsafeMutableRawPointer
    let parameter: Parameter  // keeps the parameter (and so its ObjectIdentifier) alive while cached
  }

  private var entries: [Key: Entry] = [:]
  /// Reorders this cache ran (misses) and the reorders it saved (hits).
  public private(set) var misses = 0, hits = 0

  public init() {}

  deinit { for e in entries.values { free(e.buffer) } }

  /// Weight reorders executed process-wide, cached or not (to count them per step in tests).
  public nonisolated(unsafe) static var reordersExecuted = 0

  /// The weights of `parameter`'s slice in the layout `prims` chose for `use`: from the cache when this step
  /// already reordered them, else reordered into a buffer the cache keeps (or, without a cache, into `scratch`).
  static func weights(_ parameter: Parameter, _ prims: ConvPrimitives, _ use: Use, cache: WeightLayoutCache?,
                      scratch: Int) -> UnsafeMutableRawPointer {
    let md = use == .forward ? prims.fwdWeightsMD : prims.bwdDataWeightsMD
    let reorder = use == .forward ? prims.sliceToFwd : prims.sliceToBwdData
    let bytes = MD.size(md)
    let key = Key(parameter: ObjectIdentifier(parameter), conv: prims.key, use: use)
    if let cache, let hit = cache.entries[key] {
      cache.hits += 1
      return hit.buffer
    }
    let buffer: UnsafeMutableRawPointer
    if let cache {
      var raw: UnsafeMutableRawPointer?
      _ = posix_memalign(&raw, 64, max(64, bytes))
      buffer = raw!
      cache.entries[key] = Entry(buffer: buffer, parameter: parameter)
      cache.misses += 1
    } else {
      buffer = Scratch.get(scratch, bytes: bytes)
    }
    let dnnl = DNNL.shared
    let slice = dnnl.memory(prims.sliceMD, parameter.value)
    let out = dnnl.memory(md, buffer)
    dnnl.execute(reorder, [(DNNL_ARG_FROM, slice), (DNNL_ARG_TO, out)])
    dnnl.release(slice, out)
    reordersExecuted += 1
    return buffer
  }
}
