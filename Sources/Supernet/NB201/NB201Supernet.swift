import Common
import Engine
import Search

/// The NAS-Bench-201 one-shot supernet (method doc §11): one weight set per (cell, edge, op); a subnet
/// chooses one op per edge, shared by all cells. Cell convs are ReLU → conv → BN(non-affine, as in the
/// peer); the skeleton (stem, residual reductions, last BN, classifier) is shared by every subnet.
public final class NB201Supernet: Supernet {
  struct Edge {
    let conv1: (ConvLayer, BatchNormParams)?
    let conv3: (ConvLayer, BatchNormParams)?
  }

  struct Reduction {
    let convA: ConvLayer, bnA: BatchNormParams, convB: ConvLayer, bnB: BatchNormParams, shortcut: ConvLayer
  }

  enum Layer {
    case cell([Edge])
    case reduction(Reduction)
  }

  public let nb201: NB201Space
  public var space: any SearchSpace { nb201 }
  public let store = ParameterStore()
  let stem: ConvLayer, stemBN: BatchNormParams
  let layers: [Layer]
  /// Each node's edge BNs, sum and ReLU in one pass each way (`Tape.nodeSum`), the cell's output ReLU handed
  /// to the next layer; off only to test that wiring against the plain ops.
  var fusesNodes = true
  let lastBN: BatchNormParams
  let fc: LinearLayer

  /// With `standalone`, only the ops that encoding uses get weights (a standalone network of exactly its size).
  public init(space: NB201Space, seed: UInt64, standalone: Encoding? = nil) {
    nb201 = space
    var rng = RandomSource(seed: seed)
    let cfg = space.config
    stem = ConvLayer("stem.0", in: cfg.inputChannels, out: cfg.C, kernel: 3, store: store, rng: &rng)
    stemBN = BatchNormParams("stem.1", channels: cfg.C, in: store)
    var layers: [Layer] = []
    var c = cfg.C
    let store = self.store
    var index = 0
    for stage in 0..<3 {
      if stage > 0 {
        let p = "cells.\(index)"
        layers.append(.reduction(Reduction(
          convA: ConvLayer("\(p).conv_a.conv", in: c, out: 2 * c, kernel: 3, stride: 2, store: store, rng: &rng),
          bnA: BatchNormParams("\(p).conv_a.bn", channels: 2 * c, in: store),
          convB: ConvLayer("\(p).conv_b.conv", in: 2 * c, out: 2 * c, kernel: 3, store: store, rng: &rng),
          bnB: BatchNormParams("\(p).conv_b.bn", channels: 2 * c, in: store),
          shortcut: ConvLayer("\(p).downsample.conv", in: c, out: 2 * c, kernel: 1, store: store, rng: &rng))))
        c *= 2
        index += 1
      }
      for _ in 0..<cfg.N {
        var edges: [Edge] = []
        for e in 0..<NB201Space.edgeCount {
          let p = "cells.\(index).edges.\(e)"
          func conv(_ k: Int, _ op: UInt8, _ name: String) -> (ConvLayer, BatchNormParams)? {
            if let standalone, standalone.digits[e] != op { return nil }
            return (ConvLayer("\(p).\(name).conv", in: c, out: c, kernel: k, store: store, rng: &rng),
                    BatchNormParams("\(p).\(name).bn", channels: c, affine: cfg.cellBatchNormAffine, in: store))
          }
          edges.append(Edge(conv1: conv(1, NB201Space.opConv1x1, "nor_conv_1x1"),
                            conv3: conv(3, NB201Space.opConv3x3, "nor_conv_3x3")))
        }
        layers.append(.cell(edges))
        index += 1
      }
    }
    self.layers = layers
    lastBN = BatchNormParams("lastact.0", channels: c, in: store)
    fc = LinearLayer("classifier", in: c, out: cfg.classes, store: store, rng: &rng)
  }

  public func features(_ t: Tape, _ x: Tensor, arch: Encoding) -> Tensor {
    var h = stemBN(t, stem(t, x))
    // relu(h) when the layer that made h took it in the same pass as its last node's sum (nil otherwise): the
    // next layer's ReLU of its input, taken once.
    var hReLU: Tensor?
    for (i, layer) in layers.enumerated() {
      switch layer {
      case .cell(let edges):
        let next = i + 1 < layers.count ? layers[i + 1] : nil
        let wantReLU: Bool
        switch next {
        case .reduction: wantReLU = fusesNodes
        case .cell: wantReLU = fusesNodes && Self.feedsConv(0, arch)
        case nil: wantReLU = false
        }
        (h, hReLU) = cell(t, h, edges, arch, inputReLU: hReLU, wantOutputReLU: wantReLU)
      case .reduction(let r):
        let y = r.bnB(t, r.convB(t, r.bnA.relu(t, r.convA(t, hReLU ?? t.relu(h)))))
        h = t.dropResiduals ? y : t.add(y, r.shortcut(t, t.avgPool2x2(h)))
        hReLU = nil
      }
      if let hook = t.blockOutputHook {
        let hooked = hook(t, h)
        if hooked !== h { hReLU = nil }
        h = hooked
      }
    }
    return lastBN.relu(t, h)
  }

  /// Whether a conv edge (ReLU → conv → BN) leaves `node` of the cell under `arch`.
  static func feedsConv(_ node: Int, _ arch: Encoding) -> Bool {
    NB201Space.edges.indices.contains { e in
      NB201Space.edges[e].from == node
        && (arch.digits[e] == NB201Space.opConv1x1 || arch.digits[e] == NB201Space.opConv3x3)
    }
  }

  public func head(_ t: Tape, _ features: Tensor) -> Tensor {
    fc(t, t.globalAvgPool(features))
  }

  /// The cell's output node and, when `wantOutputReLU` and the node is a sum of two or more terms, its ReLU
  /// from the same pass (for the next layer). `inputReLU`: the input's ReLU if the previous layer made it.
  func cell(_ t: Tape, _ input: Tensor, _ edges: [Edge], _ arch: Encoding, inputReLU: Tensor? = nil,
            wantOutputReLU: Bool = false) -> (Tensor, Tensor?) {
    var nodes = [input]
    // Every conv edge is ReLU → conv → BN, and up to three conv edges leave one node: the ReLU of a node is
    // taken once and shared (the same values; its backward runs once on the summed gradient) instead of once
    // per edge, which the profile showed as a large share of an element-wise-bound step.
    var relued: [Int: Tensor] = [:]
    if let inputReLU { relued[0] = inputReLU }
    func reluOf(_ node: Int) -> Tensor {
      if let r = relued[node] { return r }
      let r = t.relu(nodes[node])
      relued[node] = r
      return r
    }
    // Likewise an avg-pool edge pools its source node, and the pool of a node is the same for every edge that
    // leaves it: taken once per node (about 13 % of the pools of a uniformly sampled cell).
    var pooled: [Int: Tensor] = [:]
    func poolOf(_ node: Int) -> Tensor {
      if let p = pooled[node] { return p }
      let p = t.avgPool3x3(nodes[node])
      pooled[node] = p
      return p
    }
    for to in 1...3 {
      // A node sums its skip and pool edges as they are and its conv edges' outputs through their BN.
      var plain: [Tensor] = [], normalized: [(Tensor, BatchNormParams)] = []
      for (e, edge) in NB201Space.edges.enumerated() where edge.to == to {
        switch arch.digits[e] {
        case NB201Space.opSkip: plain.append(nodes[edge.from])
        case NB201Space.opConv1x1: normalized.append(conv(t, reluOf(edge.from), edges[e].conv1!))
        case NB201Space.opConv3x3: normalized.append(conv(t, reluOf(edge.from), edges[e].conv3!))
        case NB201Space.opAvgPool3x3: plain.append(poolOf(edge.from))
        default: break  // none: contributes zeros, so it is simply left out of the sum
        }
      }
      // The ReLU of a node is wanted when a conv edge leaves it (node 3: when the next layer takes its input's).
      let wantReLU = to == 3 ? wantOutputReLU : fusesNodes && Self.feedsConv(to, arch)
      if fusesNodes {
        // The edges' BN, the sum and the ReLU in one pass each way (`Tape.nodeSum`).
        let node = t.nodeSum(plain: plain, normalized: normalized, relu: wantReLU)
        nodes.append(node?.sum ?? t.zerosLike(input))
        if let r = node?.relu { relued[to] = r }
      } else {
        let terms = plain + normalized.map { $0.1(t, $0.0) }
        nodes.append(t.sum(terms) ?? t.zerosLike(input))
      }
    }
    return (nodes[3], relued[3])
  }

  /// The conv of an edge, on its source node's ReLU (taken once per node by `cell`), with the BN that follows it
  /// (applied by the node's sum).
  func conv(_ t: Tape, _ relued: Tensor, _ op: (ConvLayer, BatchNormParams)) -> (Tensor, BatchNormParams) {
    (op.0(t, relued), op.1)
  }
}
