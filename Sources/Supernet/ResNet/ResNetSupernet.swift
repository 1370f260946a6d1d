import Common
import Engine
import Search

/// The CIFAR-scale ResNet supernet of the CVPR 2022 Track 1 space (method doc §1): prefix slicing of every
/// conv, BN and the classifier, one shared set of BN statistics, depth = a prefix of each stage's blocks.
/// Parameter names follow torchvision (`conv1`, `layer2.0.downsample.0.weight`, `fc.bias`) so a checkpoint
/// reads naturally in PyTorch.
public final class ResNetSupernet: Supernet {
  struct Block {
    let conv1: ConvLayer, bn1: BatchNormParams, conv2: ConvLayer, bn2: BatchNormParams
    let shortcut: (conv: ConvLayer, bn: BatchNormParams)?
    let slope: Parameter?
  }

  public let resnet: ResNetSpace
  public var space: any SearchSpace { resnet }
  public let store = ParameterStore()
  public let activation: OuterActivation
  let stem: ConvLayer, stemBN: BatchNormParams
  let stages: [[Block]]
  let fc: LinearLayer
  /// Each block's first BN + ReLU and its join (BN(conv2) + shortcut, ReLU) as one op each way (`Tape.nodeSumReLU`);
  /// off only to test that wiring against the plain ops (oneDNN's BN + ReLU, BN then addReLU).
  var fusesJoins = true

  /// The supernet: every layer at its largest width and every stage at its largest depth.
  public convenience init(space: ResNetSpace, activation: OuterActivation = .relu, seed: UInt64) {
    let depths = space.config.maxDepths
    let widths = space.maxWidths
    self.init(space: space, activation: activation, seed: seed, stemWidth: widths[0],
              blocks: depths.enumerated().map { s, d in
                Array(repeating: ResNetBlockWidths(mid: widths[s], out: widths[s]), count: d)
              })
  }

  /// A standalone network holding exactly the layers and widths of `arch` (its parameter count is the
  /// analytic one); its `logits` must be called with that same encoding.
  public convenience init(standalone arch: Encoding, space: ResNetSpace, activation: OuterActivation = .relu,
                          seed: UInt64) {
    let a = space.decode(arch)
    self.init(space: space, activation: activation, seed: seed, stemWidth: a.stemWidth, blocks: a.blocks)
  }

  init(space: ResNetSpace, activation: OuterActivation, seed: UInt64, stemWidth: Int, blocks: [[ResNetBlockWidths]]) {
    resnet = space
    self.activation = activation
    var rng = RandomSource(seed: seed)
    let cfg = space.config
    stem = ConvLayer("conv1", in: cfg.inputChannels, out: stemWidth, kernel: 3, store: store, rng: &rng)
    stemBN = BatchNormParams("bn1", channels: stemWidth, in: store)
    var cin = stemWidth
    var stages: [[Block]] = []
    for (s, stageBlocks) in blocks.enumerated() {
      var built: [Block] = []
      for (b, w) in stageBlocks.enumerated() {
        let p = "layer\(s + 1).\(b)"
        let stride = space.stride(stage: s, block: b)
        let sc: (ConvLayer, BatchNormParams)? = space.hasProjectionShortcut(stage: s, block: b)
          ? (ConvLayer("\(p).downsample.0", in: cin, out: w.out, kernel: 1, stride: stride, store: store, rng: &rng),
             BatchNormParams("\(p).downsample.1", channels: w.out, in: store))
          : nil
        built.append(Block(
          conv1: ConvLayer("\(p).conv1", in: cin, out: w.mid, kernel: 3, stride: stride, store: store, rng: &rng),
          bn1: BatchNormParams("\(p).bn1", channels: w.mid, in: store),
          conv2: ConvLayer("\(p).conv2", in: w.mid, out: w.out, kernel: 3, store: store, rng: &rng),
          bn2: BatchNormParams("\(p).bn2", channels: w.out, in: store),
          shortcut: sc,
          slope: activation == .prelu
            ? store.add(Parameter(name: "\(p).act.weight", shape: [1], kind: .normScale, fill: 0.25)) : nil))
        cin = w.out
      }
      stages.append(built)
    }
    self.stages = stages
    fc = LinearLayer("fc", in: cin, out: cfg.classes, store: store, rng: &rng)
  }

  public func features(_ t: Tape, _ x: Tensor, arch: Encoding) -> Tensor {
    let a = resnet.decode(arch)
    var h = stemBN.relu(t, stem(t, x, out: a.stemWidth))
    for (s, widths) in a.blocks.enumerated() {
      for (b, w) in widths.enumerated() {
        let blk = stages[s][b]
        let c1 = blk.conv1(t, h, out: w.mid)
        // With joins fused, the block's first BN + ReLU is the same kernel pair with one BN term and nothing else.
        let mid = fusesJoins ? t.nodeSumReLU(plain: [], normalized: [(c1, blk.bn1)]) : blk.bn1.relu(t, c1)
        let z = blk.conv2(t, mid, out: w.out)
        // Identity shortcuts only occur where widths are tied; slicing covers a wider input defensively.
        if t.dropResiduals {
          h = outer(t, blk.bn2(t, z), blk.slope)
        } else if activation == .relu, fusesJoins {
          h = t.residualJoinReLU(z, blk.bn2, projected: blk.shortcut.map { ($0.conv(t, h, out: w.out), $0.bn) },
                                 identity: t.sliceChannels(h, w.out))
        } else {
          let y = blk.bn2(t, z)
          let shortcut = blk.shortcut.map { $0.bn(t, $0.conv(t, h, out: w.out)) } ?? t.sliceChannels(h, w.out)
          h = activation == .relu ? t.addReLU(y, shortcut) : outer(t, t.add(y, shortcut), blk.slope)
        }
        if let hook = t.blockOutputHook { h = hook(t, h) }
      }
    }
    return h
  }

  public func head(_ t: Tape, _ features: Tensor) -> Tensor {
    fc(t, t.globalAvgPool(features))
  }

  func outer(_ t: Tape, _ x: Tensor, _ slope: Parameter?) -> Tensor {
    switch activation {
    case .relu: return t.relu(x)
    case .prelu: return t.prelu(x, slope: slope!)
    case .swish: return t.swish(x)
    case .mish: return t.mish(x)
    }
  }
}
