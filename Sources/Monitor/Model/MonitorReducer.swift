import RunEvents

extension MonitorModel {
  /// Folds one trainer event into the model. Pure state update: no I/O, no clock.
  public mutating func apply(_ e: TrainerEvent) {
    eventCount += 1
    switch e {
    case .started(let r):
      run = r
      proxy = r.proxy
      step = max(step, r.startStep)
      failure = nil
      finished = nil
    case .step(let s):
      applyStep(s)
    case .rankPair(let p):
      pairs.append(p)
      pairCount += 1
      if p.concordant { concordantCount += 1 }
      proxy = p.proxy
      lambda = p.lambda
    case .landmarks(let l):
      landmarks = l
      ranking.setLandmarks(l)
      landmarkDigits = l.archs.map(ArchText.digits)
      landmarkDistances = landmarkDigits.map { a in landmarkDigits.map { b in ArchText.hamming(a, b) } }
      recentDistances = recentDistances.map { r in
        let d = ArchText.digits(r.arch)
        return LandmarkDistances(arch: r.arch, role: r.role, distances: landmarkDigits.map { ArchText.hamming(d, $0) })
      }
    case .evaluation(let ev):
      lastEvaluation = ev
      ranking.add(ev)
      accuracies = ev.accuracies
      let x = Double(ev.step)
      if let v = ev.tauGroundTruth { tauGroundTruth.append(x: x, y: v) }
      if let v = ev.tauProxy { tauProxy.append(x: x, y: v) }
      if let v = ev.tauPrevious { tauPrevious.append(x: x, y: v) }
      if let v = ev.tauGroundTruthByLoss { tauGroundTruthByLoss.append(x: x, y: v) }
    case .epochEnd(let r):
      lastEpoch = r
      step = max(step, r.step)
    case .checkpoint(let c):
      lastCheckpoint = c
    case .commandApplied(let c):
      lastCommand = c
      if case .setProxy(let name) = c.command { proxy = name }
    case .paused(let p):
      paused = p.paused
    case .finished(let f):
      finished = f
      paused = false
    case .failed(let f):
      failure = f
    case .detached(let d):
      lastDetach = d
    case .search(let s):
      if search == nil { search = SearchProgress() }
      search?.apply(s)
      if s.event == "paused" || s.event == "finished" { paused = search?.paused ?? false }
    }
  }

  public mutating func apply<S: Sequence>(_ events: S) where S.Element == TrainerEvent {
    for e in events { apply(e) }
  }

  private mutating func applyStep(_ s: StepRecord) {
    step = s.step
    epoch = s.epoch
    lr = s.lr
    imagesPerSecond = s.imagesPerSecond
    elapsed = s.elapsed
    if let l = s.lambda { lambda = l }
    let x = Double(s.step)
    series[.total]?.append(x: x, y: s.loss)
    series[.lr]?.append(x: x, y: s.lr)
    series[.throughput]?.append(x: x, y: s.imagesPerSecond)
    if let r = s.rankLoss { series[.rank]?.append(x: x, y: r) }
    func mean(_ roles: Set<String>) -> Double? {
      let ls = s.paths.filter { roles.contains($0.role) }.map(\.loss)
      return ls.isEmpty ? nil : ls.reduce(0, +) / Double(ls.count)
    }
    if let v = mean(["largest"]) { series[.largest]?.append(x: x, y: v) }
    if let v = mean(["smallest"]) { series[.smallest]?.append(x: x, y: v) }
    if let v = mean(["random", "spos", "fair"]) { series[.random]?.append(x: x, y: v) }
    // KD terms: the distilled (non-largest) paths of sandwich/OFA steps.
    if let v = mean(["smallest", "random"]), s.paths.contains(where: { $0.role == "largest" }) {
      series[.kd]?.append(x: x, y: v)
    }
    for p in s.paths {
      samples.append(SampledArch(step: s.step, role: p.role, arch: p.arch, flops: p.flops, loss: p.loss))
      noteRecent(p)
    }
  }

  /// Keeps the newest distinct archs with their landmark distances (moved to the front when seen again).
  private mutating func noteRecent(_ p: PathRecord) {
    guard recentLandmarkRows > 0 else { return }
    if let i = recentDistances.firstIndex(where: { $0.arch == p.arch }) {
      let seen = recentDistances.remove(at: i)  // distances already known
      recentDistances.insert(LandmarkDistances(arch: p.arch, role: p.role, distances: seen.distances), at: 0)
      return
    }
    let digits = ArchText.digits(p.arch)
    let d = landmarkDigits.map { ArchText.hamming(digits, $0) }
    recentDistances.insert(LandmarkDistances(arch: p.arch, role: p.role, distances: d), at: 0)
    if recentDistances.count > recentLandmarkRows { recentDistances.removeLast(recentDistances.count - recentLandmarkRows) }
  }
}
