import Common
import Data
import Engine
import Foundation
import Ranking
import Search
import Supernet
import Training

extension Standalone {
  /// `--init-from DIR`: the exported subnet trained further on the whole training set (the reference's last
  /// step), with its test accuracy before and after.
  func fineTune(exportDirectory: String, precision: Precision) throws {
    let (net, arch, metadata) = try SubnetExport.load(directory: exportDirectory)
    var config = TrainingConfig()
    config.seed = seed.seed; config.threads = compute.threads
    try optimizer.apply(to: &config)
    config.dataset = data.dataset; config.dataPath = data.data; config.trainLimit = data.trainLimit
    config.validationSize = 0
    let images = try RunData.load(&config)
    let test = try RunData.loadTest(config)
    let shape = [1, images.train.channels, images.train.height, images.train.width]
    let exportPath = exportDirectory + "/" + SubnetExport.fileName
    guard metadata["input_shape"] == "[\(shape.map(String.init).joined(separator: ","))]" else {
      throw RDNASError.badInput("\(exportPath) takes input \(metadata["input_shape"] ?? "?"), --dataset \(config.dataset) "
        + "gives \(shape); give the dataset the supernet was trained on")
    }
    let model = FixedArchitecture(net: net, arch: arch)
    var cfg = ClassifierTrainingConfig()
    cfg.epochs = config.epochs; cfg.batchSize = config.batchSize; cfg.lr = config.lr
    cfg.warmupEpochs = config.warmupEpochs; cfg.cosine = config.schedule == .cosine
    cfg.momentum = config.momentum; cfg.nesterov = config.nesterov; cfg.weightDecay = config.weightDecay
    cfg.seed = config.seed; cfg.augment = config.augment ?? (images.train.channels == 3)
    let t0 = Date()
    let before = try ClassifierTraining.evaluate(model, dataset: test, normalization: images.normalization, precision: precision)
    print(String(format: "%@: test accuracy %.4f before fine-tuning", net.space.format(arch), before.accuracy))
    var progress: ProgressLine?
    try ClassifierTraining.train(model, dataset: images.train, normalization: images.normalization, config: cfg,
                                 precision: precision) { p in
      if progress == nil { progress = ProgressLine(total: p.stepsTotal, label: "fine-tune") }
      progress?.update(p.step, String(format: "epoch %d loss %.4f", p.epoch + 1, p.loss))
    }
    let after = try ClassifierTraining.evaluate(model, dataset: test, normalization: images.normalization, precision: precision)
    let seconds = Date().timeIntervalSince(t0)
    let entry = ScoreEntry(key: "arch1", arch: net.space.format(arch), score: after.accuracy, extras: [
      "loss": String(format: "%.6f", after.loss), "acc_before": "\(before.accuracy)", "epochs": String(config.epochs),
      "seed": String(config.seed), "seconds": String(format: "%.1f", seconds),
      "init_from": String(decoding: try JSONEncoder().encode(exportDirectory), as: UTF8.self),
    ])
    try ScoreTable(entries: [entry], source: out).writeCompetitionJSON(path: out)
    if let dir = saveWeights {
      var m = metadata
      m["fine_tuned_epochs"] = String(config.epochs)
      m["test_accuracy"] = "\(after.accuracy)"
      m["fine_tuned_from"] = exportPath
      try SubnetExport.write(net, metadata: m, path: dir + "/" + SubnetExport.fileName)
    }
    print(String(format: "test accuracy %.4f after %d epochs (%.4f before); wrote %@", after.accuracy, config.epochs,
                 before.accuracy, out))
  }
}
