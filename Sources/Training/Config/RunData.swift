import Common
import Data
import Search
import Supernet

/// The data and network a run's config describes, built the same way for training, evaluation and
/// standalone training: the validation split is a seeded permutation of the training set, so `rdnas eval`
/// sees exactly the images the trainer held out.
public struct RunData {
  public let train: ImageDataset
  public let validation: ImageDataset
  public let normalization: Normalization

  /// Loads the dataset and fills the config's input shape and class count from it.
  public static func load(_ config: inout TrainingConfig) throws -> RunData {
    let full = try DatasetLoader.load(dataset: config.dataset, path: config.dataPath, train: true,
                                      cacheDirectory: config.cacheDirectory)
    config.resnet.inputChannels = full.channels
    config.resnet.inputSize = full.height
    config.resnet.classes = full.classNames.count
    config.nb201.inputChannels = full.channels
    config.nb201.inputSize = full.height
    config.nb201.classes = full.classNames.count
    config.resnet.outerActivationHasParameter = config.activation == .prelu
    let split = trainValidationSplit(count: full.count, validation: min(config.validationSize, full.count / 2),
                                     seed: config.seed)
    // Both lists are sorted by index, and ImageFolder datasets are sorted by class: shuffle them (seeded)
    // so that `--train-limit` and any prefix of the validation split (landmark evaluation, `eval --images`)
    // are class-balanced random subsets, not the first classes.
    var rng = RandomSource(seed: config.seed ^ 0xD1CE)
    var trainIdx = seededPermutation(count: split.train.count, using: &rng).map { split.train[$0] }
    if let limit = config.trainLimit { trainIdx = Array(trainIdx.prefix(limit)) }
    let valIdx = seededPermutation(count: split.validation.count, using: &rng).map { split.validation[$0] }
    return RunData(train: full.subset(trainIdx.sorted()), validation: full.subset(valIdx),
                   normalization: Normalization.named(config.dataset) ?? .fromData(full))
  }

  /// The official test split (ground truth for standalone training).
  public static func loadTest(_ config: TrainingConfig) throws -> ImageDataset {
    try DatasetLoader.load(dataset: config.dataset, path: config.dataPath, train: false,
                           cacheDirectory: config.cacheDirectory)
  }
}

extension TrainingConfig {
  /// The weight-sharing supernet for this config's space.
  public func makeSupernet(space: any SearchSpace) throws -> Supernet {
    switch space {
    case let rs as ResNetSpace: return ResNetSupernet(space: rs, activation: activation, seed: seed)
    case let nb as NB201Space: return NB201Supernet(space: nb, seed: seed)
    default: throw RDNASError.badInput("no supernet for space \(space.name)")
    }
  }

  /// A network holding exactly the layers of `arch` (standalone training).
  public func makeStandalone(_ arch: Encoding, space: any SearchSpace, seed: UInt64) throws -> Supernet {
    switch space {
    case let rs as ResNetSpace: return ResNetSupernet(standalone: arch, space: rs, activation: activation, seed: seed)
    case let nb as NB201Space: return NB201Supernet(space: nb, seed: seed, standalone: arch)
    default: throw RDNASError.badInput("no network for space \(space.name)")
    }
  }
}
