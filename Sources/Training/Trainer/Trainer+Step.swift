import Foundation
import Common
import Data
import Engine
import Ranking
import Search

extension Trainer {
  /// One optimiser step on one batch: every sampled path (and rank pair) forward+backward with gradients
  /// accumulating, then SGD. Returns the step's total loss. In a data-parallel run `batch` is this rank's
  /// part of the global batch; gradients and losses are combined over ranks before the update.
  func step(_ batch: Batch) throws -> Double {
    let t0 = Date()
    let x = batch.tensor()
    var rng = RandomSource(state: state.rng)
    let paths = sampler.paths(epoch: state.epoch, rng: &rng)
    var records: [PathRecord] = []
    var total = 0.0
    var teacher: [Float]?
    // The weights stay fixed until the optimiser below: every tape of this step reuses their reorders
    // (with a single tape per step there is nothing to share, and the cache would only allocate).
    let epochPosition = Double(state.epoch) + Double(state.batchInEpoch) / Double(stepsPerEpoch)
    let pairsNow = state.proxy != nil && config.rank.pairsActive(step: state.step, epoch: epochPosition)
    let tapes = paths.count + (pairsNow ? config.rank.pairs : 0)
    let weights: WeightLayoutCache? = tapes > 1 && reuseWeightReorders ? WeightLayoutCache() : nil
    for path in paths {
      let t = Tape(training: true)
      t.precision = context.precision
      t.weightCache = weights
      let z = net.logits(t, x, arch: path.arch)
      let loss: Tensor
      if path.distilled, let teacher {
        loss = config.distillation == .alpha
          ? Distillation.alpha(t, student: z, teacherProbs: teacher)
          : Distillation.kd(t, student: z, teacherProbs: teacher)
      } else {
        loss = t.crossEntropy(z, labels: batch.y)
      }
      try t.backward(loss)
      if path.role == .largest { teacher = softmaxRows(z.data, rows: z.shape.n, classes: z.shape.c) }
      records.append(PathRecord(role: path.role.rawValue, arch: space.format(path.arch), loss: Double(loss.scalar),
                                flops: space.flops(path.arch)))
      total += Double(loss.scalar)
    }

    var pairRecords: [RankPairRecord] = []
    var rankLoss: Double?, lambda: Double?
    if let proxy = state.proxy, pairsNow {
      let lam = config.rank.lambda.lambda(epoch: epochPosition, epochs: config.epochs, maxLambda: config.rank.lambdaMax)
      lambda = lam
      var sum = 0.0
      for _ in 0..<config.rank.pairs {
        let r = try rankPair(x: x, labels: batch.y, proxy: proxy, lambda: lam, rng: &rng, weights: weights)
        sum += lam * r.hinge
        total += (config.rank.pairTaskWeight ?? 0) * (r.lossA + r.lossB)
        pairRecords.append(r)
      }
      rankLoss = sum
      total += sum
    }

    if isParallel {
      var losses = [total] + records.map(\.loss) + pairRecords.flatMap { [$0.lossA, $0.lossB, $0.hinge] }
      guard exchange.combine(localCount: batch.count, globalCount: config.batchSize, statistics: &losses,
                             fingerprint: agreementFingerprint(rng: rng)) else {
        throw RDNASError.failure("rank \(collective.rank): the ranks disagree at step \(state.step + 1) (sampling state, "
                                 + "proxy or position differ); stopping")
      }
      total = losses[0]
      for k in records.indices { records[k].loss = losses[1 + k] }
      for k in pairRecords.indices {
        let o = 1 + records.count + 3 * k
        pairRecords[k].lossA = losses[o]; pairRecords[k].lossB = losses[o + 1]; pairRecords[k].hinge = losses[o + 2]
        let r = pairRecords[k]
        pairRecords[k].concordant = PairwiseRankLoss.concordant(lossA: r.lossA, lossB: r.lossB, priorA: r.priorA,
                                                                priorB: r.priorB)
      }
      if let lam = lambda { rankLoss = pairRecords.reduce(0) { $0 + lam * $1.hinge } }
    }
    if let weights { lastStepReorders = (weights.misses, weights.hits) }
    let lr = schedule.lr(at: state.step)
    // After the all-reduce every rank holds the same gradients, so this norm (and the guard below) is the
    // same on every rank: all stop together or none does.
    let norm = net.store.gradNorm()
    optimizer.apply(lr: lr, gradientNorm: norm)
    if !norm.isFinite {
      throw RDNASError.nonFinite(op: "gradients", detail: "global gradient norm is \(norm)")
    }
    state.rng = rng.state
    state.step += 1
    if state.step % max(1, config.logEvery) == 0 || state.step == 1 {
      let elapsed = Date().timeIntervalSince(runStart)
      let seconds = Date().timeIntervalSince(t0)
      emit(.step(StepRecord(step: state.step, epoch: state.epoch, lr: Double(lr), loss: total, paths: records,
                            rankLoss: rankLoss, lambda: lambda, gradNorm: norm,
                            imagesPerSecond: Double(config.batchSize) / max(seconds, 1e-9), elapsed: elapsed)))
      for p in pairRecords { emit(.rankPair(p)) }
    }
    return total
  }

  /// One ranking-distillation pair on the same batch: a, then b sampled at distance ≥ d from a (margin
  /// sampler), priors from the proxy, hinge × λ back-propagated.
  func rankPair(x: Tensor, labels: [Int32], proxy: String, lambda: Double, rng: inout RandomSource,
                weights: WeightLayoutCache? = nil) throws -> RankPairRecord {
    let draw: (inout RandomSource) -> Encoding = { [space, rankPool] rng in
      guard let rankPool else { return space.sample(using: &rng) }
      return rng.pick(rankPool)
    }
    let a = draw(&rng)
    var b = draw(&rng)
    let distance: (Encoding, Encoding) -> Double = { [space, config] u, v in
      if config.rank.weightedDistance, let nb = space as? NB201Space { return nb.weightedDistance(u, v) }
      return space.distance(u, v)
    }
    // The margin sampler (op distance) and the confident-pair sampler (teacher quantile gap) both resample b;
    // with neither set no extra sample is drawn, so older runs keep their random streams.
    let gap = config.rank.minPriorGap
    let qa = gap == nil ? nil : try priors.quantile(proxy, a)
    if gap != nil && qa == nil { throw PriorCache.needsWholeSpaceTeacher("--min-prior-gap", got: proxy) }
    func acceptable(_ b: Encoding) throws -> Bool {
      if let d = config.rank.minDistance, distance(a, b) < d { return false }
      if let gap, let qa, let qb = try priors.quantile(proxy, b), abs(qa - qb) < gap { return false }
      return true
    }
    var tries = 0
    while try !acceptable(b), tries < 1000 { b = draw(&rng); tries += 1 }
    let pa = try priors.prior(proxy, a), pb = try priors.prior(proxy, b)
    let t = Tape(training: true)
    t.precision = context.precision
    t.weightCache = weights
    let la = t.crossEntropy(net.logits(t, x, arch: a), labels: labels)
    let lb = t.crossEntropy(net.logits(t, x, arch: b), labels: labels)
    let hinge = PairwiseRankLoss.hinge(t, lossA: la, lossB: lb, priorA: pa, priorB: pb, margin: config.rank.margin,
                                       symmetric: config.rank.symmetric)
    // The objective of the pair: λ·hinge, plus each member's own cross-entropy when asked for. The record keeps
    // the hinge alone, so rank-loss curves stay comparable across runs with and without the task term.
    let taskWeight = config.rank.pairTaskWeight ?? 0
    var objective: Tensor? = lambda > 0 ? t.scale(hinge, Float(lambda)) : nil
    if taskWeight > 0 {
      let task = t.scale(t.add(la, lb), Float(taskWeight))
      objective = objective.map { t.add($0, task) } ?? task
    }
    if let objective { try t.backward(objective) }
    return RankPairRecord(step: state.step + 1, a: space.format(a), b: space.format(b), priorA: pa, priorB: pb,
                          lossA: Double(la.scalar), lossB: Double(lb.scalar), hinge: Double(hinge.scalar),
                          lambda: lambda, proxy: proxy, distance: distance(a, b),
                          concordant: PairwiseRankLoss.concordant(lossA: Double(la.scalar), lossB: Double(lb.scalar),
                                                                  priorA: pa, priorB: pb))
  }
}
