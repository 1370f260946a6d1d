import Common
import Engine

/// A network that maps an NHWC batch to logits on a tape; everything rdnas trains is one of these.
public protocol ImageClassifier: AnyObject {
  var store: ParameterStore { get }
  func logits(_ t: Tape, _ x: Tensor) -> Tensor
}

/// conv-BN-ReLU ×3 (the second and third with stride 2), GAP, linear: the foundation's demo network.
public final class SmallConvNet: ImageClassifier {
  public let store = ParameterStore()
  let convs: [ConvLayer]
  let bns: [BatchNormParams]
  let fc: LinearLayer

  public init(inputChannels: Int, classes: Int, widths: [Int] = [16, 32, 64], seed: UInt64) {
    var rng = RandomSource(seed: seed)
    var convs: [ConvLayer] = [], bns: [BatchNormParams] = []
    var cin = inputChannels
    for (i, w) in widths.enumerated() {
      convs.append(ConvLayer("features.\(i).conv", in: cin, out: w, kernel: 3, stride: i == 0 ? 1 : 2,
                             store: store, rng: &rng))
      bns.append(BatchNormParams("features.\(i).bn", channels: w, in: store))
      cin = w
    }
    self.convs = convs
    self.bns = bns
    fc = LinearLayer("fc", in: cin, out: classes, store: store, rng: &rng)
  }

  public func logits(_ t: Tape, _ x: Tensor) -> Tensor {
    var h = x
    for (c, b) in zip(convs, bns) { h = b.relu(t, c(t, h)) }
    return fc(t, t.globalAvgPool(h))
  }
}

/// The CIFAR ResNet-20 of He et al. (3 stages × 3 BasicBlocks, 16/32/64 channels, 1×1 conv + BN
/// projection shortcuts where the shape changes, as torchvision-style CIFAR ports do): the engine benchmark.
public final class ResNet20: ImageClassifier {
  struct Block {
    let conv1: ConvLayer, bn1: BatchNormParams, conv2: ConvLayer, bn2: BatchNormParams
    let shortcut: (ConvLayer, BatchNormParams)?
  }

  public let store = ParameterStore()
  let stem: ConvLayer, stemBN: BatchNormParams
  let blocks: [Block]
  let fc: LinearLayer
  /// Each block's join (BN(conv2) + shortcut, ReLU) as one op each way (`Tape.residualJoinReLU`); off only to test
  /// that wiring against the plain ops. (Its first BN + ReLU stays oneDNN's: the supernet's change was not measured here.)
  var fusesJoins = true

  public init(inputChannels: Int = 3, classes: Int = 10, blocksPerStage: Int = 3, seed: UInt64) {
    var rng = RandomSource(seed: seed)
    stem = ConvLayer("conv1", in: inputChannels, out: 16, kernel: 3, store: store, rng: &rng)
    stemBN = BatchNormParams("bn1", channels: 16, in: store)
    var blocks: [Block] = []
    var cin = 16
    for (s, width) in [16, 32, 64].enumerated() {
      for b in 0..<blocksPerStage {
        let stride = (s > 0 && b == 0) ? 2 : 1
        let p = "layer\(s + 1).\(b)"
        let sc: (ConvLayer, BatchNormParams)? = (stride != 1 || cin != width)
          ? (ConvLayer("\(p).downsample.0", in: cin, out: width, kernel: 1, stride: stride, store: store, rng: &rng),
             BatchNormParams("\(p).downsample.1", channels: width, in: store))
          : nil
        blocks.append(Block(
          conv1: ConvLayer("\(p).conv1", in: cin, out: width, kernel: 3, stride: stride, store: store, rng: &rng),
          bn1: BatchNormParams("\(p).bn1", channels: width, in: store),
          conv2: ConvLayer("\(p).conv2", in: width, out: width, kernel: 3, store: store, rng: &rng),
          bn2: BatchNormParams("\(p).bn2", channels: width, in: store),
          shortcut: sc))
        cin = width
      }
    }
    self.blocks = blocks
    fc = LinearLayer("fc", in: 64, out: classes, store: store, rng: &rng)
  }

  public func logits(_ t: Tape, _ x: Tensor) -> Tensor {
    var h = stemBN.relu(t, stem(t, x))
    for b in blocks {
      let z = b.conv2(t, b.bn1.relu(t, b.conv1(t, h)))
      if fusesJoins {
        h = t.residualJoinReLU(z, b.bn2, projected: b.shortcut.map { ($0.0(t, h), $0.1) }, identity: h)
      } else {
        let s = b.shortcut.map { $0.1(t, $0.0(t, h)) } ?? h
        h = t.addReLU(b.bn2(t, z), s)
      }
    }
    return fc(t, t.globalAvgPool(h))
  }
}
