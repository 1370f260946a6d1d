import ArgumentParser
import Common
import Data
import Engine
import Foundation
import Supernet
import Training

/// The foundation's end-to-end demo: a small conv net on Fashion-MNIST with a live progress line.
struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a small conv net on Fashion-MNIST and print its test accuracy.",
    usage: "rdnas demo --epochs 1")

  @Option(help: "Epochs.") var epochs = 1
  @Option(help: "Batch size.") var batchSize = 64
  @Option(help: "Learning rate.") var lr: Float = 0.05
  @Option(help: "Seed.") var seed: UInt64 = 0
  @Option(help: "Fashion-MNIST folder (IDX files, gzipped or not).") var data: String?
  @OptionGroup(title: "Compute") var compute: ComputeOptions

  func run() throws {
    try runReportingErrors {
      let precision = try compute.apply().precision
      let train = try DatasetLoader.load(dataset: "fashion-mnist", path: data, train: true, cacheDirectory: nil)
      let test = try DatasetLoader.load(dataset: "fashion-mnist", path: data, train: false, cacheDirectory: nil)
      let net = SmallConvNet(inputChannels: train.channels, classes: train.classNames.count, seed: seed)
      var cfg = ClassifierTrainingConfig()
      cfg.epochs = epochs; cfg.batchSize = batchSize; cfg.lr = lr; cfg.seed = seed
      print("training SmallConvNet (\(net.store.parameterCount) parameters) on \(train.count) Fashion-MNIST images, "
            + "\(DNNL.threads) threads")
      try ClassifierTraining.train(net, dataset: train, normalization: .fashionMNIST, config: cfg, precision: precision) { p in
        if p.step % 20 == 0 || p.step == p.stepsTotal {
          let line = String(format: "\repoch %d  step %d/%d  loss %.4f  lr %.4f  %.0f img/s", p.epoch + 1, p.step,
                            p.stepsTotal, p.loss, p.lr, p.imagesPerSecond)
          FileHandle.standardError.write(Data(line.utf8))
        }
      }
      FileHandle.standardError.write(Data("\n".utf8))
      let r = try ClassifierTraining.evaluate(net, dataset: test, normalization: .fashionMNIST, precision: precision)
      print(String(format: "test accuracy %.2f%% (loss %.4f) on %d images", r.accuracy * 100, r.loss, r.count))
    }
  }
}
