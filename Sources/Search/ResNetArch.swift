/// Channel widths of one active BasicBlock: `mid` is conv1's output, `out` is conv2's (the residual stream).
public struct ResNetBlockWidths: Hashable, Sendable {
  public var mid: Int
  public var out: Int
  public init(mid: Int, out: Int) {
    self.mid = mid
    self.out = out
  }
}

/// An encoding resolved into channel counts: everything the supernet needs to slice its weights.
public struct ResNetArch: Hashable, Sendable {
  /// Input side in pixels (resolution code 1 is `config.inputSize`).
  public var resolution: Int
  /// Active blocks per stage.
  public var depths: [Int]
  /// Stem output channels (equal to stage 1's output width by the tying rule).
  public var stemWidth: Int
  /// `blocks[s][b]` for the active blocks only (`blocks[s].count == depths[s]`).
  public var blocks: [[ResNetBlockWidths]]

  public init(resolution: Int, depths: [Int], stemWidth: Int, blocks: [[ResNetBlockWidths]]) {
    self.resolution = resolution
    self.depths = depths
    self.stemWidth = stemWidth
    self.blocks = blocks
  }

  /// Output width of each stage (0 for a stage without blocks, which only an invalid encoding has).
  public var stageWidths: [Int] { blocks.map { $0.first?.out ?? 0 } }
}

extension ResNetSpace {
  /// Resolves codes to channels. Meant for validated encodings; for anything else it does not crash but
  /// reads missing digits as 0 and clamps depths to the slots, so the result is merely meaningless.
  public func decode(_ e: Encoding) -> ResNetArch {
    func digit(_ p: Int) -> Int { e.digits.indices.contains(p) ? Int(e.digits[p]) : 0 }
    var depths = [Int](), blocks = [[ResNetBlockWidths]]()
    for s in 0..<stageCount {
      let depth = min(max(digit(depthPosition(stage: s)), 0), config.maxDepths[s])
      depths.append(depth)
      blocks.append((0..<depth).map { b in
        let p = midPosition(stage: s, block: b)
        return ResNetBlockWidths(mid: width(stage: s, code: digit(p)), out: width(stage: s, code: digit(p + 1)))
      })
    }
    return ResNetArch(resolution: config.inputSize, depths: depths,
                      stemWidth: width(stage: 0, code: digit(stemPosition)), blocks: blocks)
  }

  /// Stride of conv1 (and of the shortcut) of block b of stage s: only a stage's first block downsamples.
  public func stride(stage s: Int, block b: Int) -> Int { b == 0 ? config.strides[s] : 1 }

  /// Whether block b of stage s has a 1×1 conv + BN shortcut rather than an identity.
  ///
  /// The reference's rule is "stride ≠ 1 or c_in ≠ c_out". We decide it from the structure rather than
  /// from one subnet's widths: inside a stage widths are tied and the stem is tied to stage 1, so only the
  /// first block of a stage can change width, and for stages after the first it may (its input is the
  /// previous stage's independently chosen width). So the projection exists exactly on the first block of
  /// every stage after the first, and on stage 1's first block only when it strides. For the default and
  /// the reference configs this is identical to the per-subnet rule, and it keeps the supernet's module
  /// set and the cost model the same for every subnet.
  public func hasProjectionShortcut(stage s: Int, block b: Int) -> Bool {
    guard b == 0 else { return false }
    return s > 0 || config.strides[s] != 1
  }
}
