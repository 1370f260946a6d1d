import Common

/// Training-time augmentation as in the CIFAR recipes: a random crop of the image zero-padded by `cropPadding` on
/// every side (torchvision's RandomCrop(32, padding=4)), then a horizontal flip with probability ½.
public struct Augmentation: Sendable, Equatable {
  public var cropPadding: Int
  public var horizontalFlip: Bool

  public init(cropPadding: Int = 0, horizontalFlip: Bool = false) {
    self.cropPadding = max(0, cropPadding)
    self.horizontalFlip = horizontalFlip
  }

  public static let none = Augmentation()
  public static let cifar = Augmentation(cropPadding: 4, horizontalFlip: true)

  /// The random choices for one image, in a fixed order (row offset, column offset, flip), so a test or a resumed
  /// run can replay them from the same stream.
  public func draw(using rng: inout RandomSource) -> AugmentationDraw {
    var d = AugmentationDraw.identity(padding: cropPadding)
    if cropPadding > 0 {
      d.offsetY = uniformIndex(below: 2 * cropPadding + 1, using: &rng)
      d.offsetX = uniformIndex(below: 2 * cropPadding + 1, using: &rng)
    }
    if horizontalFlip { d.flip = rng.next() >> 63 == 1 }
    return d
  }
}

/// One image's crop window and flip. Offsets are into the padded image, 0…2·padding; padding itself is the
/// unshifted crop.
public struct AugmentationDraw: Sendable, Equatable {
  public var offsetY: Int
  public var offsetX: Int
  public var flip: Bool

  public init(offsetY: Int, offsetX: Int, flip: Bool) {
    self.offsetY = offsetY
    self.offsetX = offsetX
    self.flip = flip
  }

  public static func identity(padding: Int) -> AugmentationDraw {
    AugmentationDraw(offsetY: padding, offsetX: padding, flip: false)
  }
}

/// Writes one HWC byte image into `output` as normalised floats, applying a crop window and flip on the way:
/// output(y, x) = padded(y + offsetY, x' + offsetX) with x' = flip ? w-1-x : x, where padded pixels outside the
/// image are 0 (the pixel value, which normalises to -mean/std, as torchvision's pad-then-normalise does).
/// `table` maps (channel, byte) to its normalised value: channel c's 256 entries start at c·256.
func writeAugmented(
  _ image: UnsafePointer<UInt8>, height: Int, width: Int, channels: Int,
  draw: AugmentationDraw, padding: Int, table: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>
) {
  let rowSize = width * channels
  for y in 0..<height {
    let sourceY = y + draw.offsetY - padding
    let outRow = output + y * rowSize
    guard sourceY >= 0 && sourceY < height else {
      for x in 0..<width { for c in 0..<channels { outRow[x * channels + c] = table[c * 256] } }
      continue
    }
    let inRow = image + sourceY * rowSize
    for x in 0..<width {
      let sourceX = (draw.flip ? width - 1 - x : x) + draw.offsetX - padding
      let out = outRow + x * channels
      if sourceX >= 0 && sourceX < width {
        let pixel = inRow + sourceX * channels
        for c in 0..<channels { out[c] = table[c * 256 + Int(pixel[c])] }
      } else {
        for c in 0..<channels { out[c] = table[c * 256] }
      }
    }
  }
}
